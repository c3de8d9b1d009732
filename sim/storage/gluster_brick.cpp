#include "storage/gluster.hpp"

#include "storage/gluster_wire.hpp"

namespace lvs::storage {

using namespace gluster_wire;

GlusterBrick::GlusterBrick(Transport& host, Simulation& sim, std::string name, DiskConfig disk,
                           std::uint64_t page_cache_bytes, const Catalogue& content)
    : host_(host),
      content_(content),
      cache_(page_cache_bytes, content.files()),
      disk_(sim, disk, sim.rng(name + "/brick-disk-latency")) {}

void GlusterBrick::start() { host_.tcp_listen(kGlusterBrickPort, *this, 64); }

void GlusterBrick::power_off() {
  ++life_;
  disk_.power_off();
  cache_.clear();
  out_.clear();
  reads_.clear();
  free_reads_.clear();
}

void GlusterBrick::on_acceptable(std::uint16_t port) {
  while (host_.tcp_accept(port, 0)) {
  }
}

void GlusterBrick::on_message(SocketId s, std::uint64_t /*user*/, std::uint64_t tag, std::uint32_t /*bytes*/) {
  ++calls_;
  const std::uint32_t file = tag_file(tag);
  if (file >= content_.files()) return;
  const std::uint32_t bytes = content_.bytes(file);
  switch (tag_op(tag)) {
    case GlusterOp::Lookup: reply(s, tag); return;
    case GlusterOp::Write:
      cache_.access(file, bytes);
      disk_.write(bytes, *this, std::uint64_t{life_} << 32 | kNone);
      reply(s, tag);
      return;
    case GlusterOp::Read:
      if (cache_.contains(file)) {
        cache_.access(file, bytes);
        reply(s, tag);
        return;
      }
      cache_.access(file, bytes);
      std::uint32_t r;
      if (free_reads_.empty()) {
        r = static_cast<std::uint32_t>(reads_.size());
        reads_.push_back({s, tag});
      } else {
        r = free_reads_.back();
        free_reads_.pop_back();
        reads_[r] = {s, tag};
      }
      disk_.read(bytes, *this, std::uint64_t{life_} << 32 | r);
      return;
  }
}

void GlusterBrick::on_disk_done(std::uint64_t token) {
  if (static_cast<std::uint32_t>(token >> 32) != life_) return;
  const auto r = static_cast<std::uint32_t>(token);
  if (r == kNone) return;
  const DiskRead d = reads_[r];
  free_reads_.push_back(r);
  reply(d.socket, d.tag);
}

void GlusterBrick::reply(SocketId s, std::uint64_t tag) {
  if (s >= out_.size()) out_.resize(std::size_t{s} + 1);
  const std::uint32_t data = tag_op(tag) == GlusterOp::Read ? content_.bytes(tag_file(tag)) : 0;
  out_[s].push({kGlusterMessageBytes + data, tag});
  on_send_room(s, 0);
}

void GlusterBrick::on_send_room(SocketId s, std::uint64_t /*user*/) {
  if (s >= out_.size()) return;
  while (!out_[s].empty() && host_.tcp_send_room(s) > 0) {
    const Pending p = out_[s].pop();
    host_.tcp_send(s, p.bytes, p.tag);
  }
}

void GlusterBrick::on_peer_closed(SocketId s, std::uint64_t /*user*/) {
  if (s < out_.size())
    while (!out_[s].empty()) out_[s].pop();
  host_.tcp_close(s);
}

}  // namespace lvs::storage
