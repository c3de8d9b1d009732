#include "capture/pcap_writer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <utility>

#include "capture/frame_bytes.hpp"
#include "core/file_output.hpp"

namespace lvs {

namespace {

constexpr int kSnapLength = 65535;
constexpr std::int64_t kNsPerSecond = 1'000'000'000;

}  // namespace

PcapWriter::PcapWriter(const std::string& path, std::vector<const Interface*> capture_points, CaptureAt at)
    : path_(path), points_(std::move(capture_points)), at_(at) {
  std::sort(points_.begin(), points_.end(), std::less<>());
  points_.erase(std::unique(points_.begin(), points_.end()), points_.end());
  for (const Interface* i : points_)
    if (i->channel() != nullptr) on_channel_[i->channel()].push_back(i);
  pcap_ = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, kSnapLength, PCAP_TSTAMP_PRECISION_NANO);
  if (pcap_ == nullptr) throw std::runtime_error("cannot write pcap file " + path + ": libpcap cannot start");
  dumper_ = pcap_dump_open(pcap_, path.c_str());
  if (dumper_ == nullptr) {
    std::string why = pcap_geterr(pcap_);
    if (why.rfind(path + ": ", 0) == 0) why.erase(0, path.size() + 2);  // libpcap names the file too
    pcap_close(pcap_);
    throw std::runtime_error("cannot write pcap file " + path + ": " + why);
  }
  buffer_.reserve(kSnapLength);
}

PcapWriter::~PcapWriter() {
  try {
    close();
  } catch (const std::exception&) {  // a destructor must not throw: call close() to see the error
  }
}

bool PcapWriter::captures(const Interface& iface) const {
  return std::binary_search(points_.begin(), points_.end(), &iface, std::less<>());
}

// Sent by a capture point, or by another interface to a capture point on its segment or
// link: to its MAC, or broadcast (a frame flooded to a port whose MAC it does not carry is
// not counted as reaching it: that NIC drops it).
bool PcapWriter::sent_to_capture(const Interface& out, const Packet& p) const {
  if (captures(out)) return true;
  const auto points = on_channel_.find(out.channel());
  if (points == on_channel_.end()) return false;
  return std::any_of(points->second.begin(), points->second.end(),
                     [&](const Interface* i) { return p.eth_dst.is_group() || p.eth_dst == i->mac(); });
}

void PcapWriter::capture(Time t, const Interface& at, const Packet& p) {
  if (dumper_ == nullptr) return;
  if (holdback_.empty() && !FragmentHoldback::starts_datagram(p)) {
    write(t, p, 0);
    return;
  }
  holdback_.hold(t, at, p);
  holdback_.release([this](const FragmentHoldback::Frame& f) { write(f.t, f.pkt, f.whole_payload); },
                    holdback_.size() > kMaxHeld);
}

void PcapWriter::write(Time t, const Packet& p, std::uint32_t whole_payload) {
  serialize_frame(p, buffer_, whole_payload);
  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<decltype(header.ts.tv_sec)>(t.count() / kNsPerSecond);
  header.ts.tv_usec = static_cast<decltype(header.ts.tv_usec)>(t.count() % kNsPerSecond);  // ns: nano precision
  header.caplen = static_cast<bpf_u_int32>(buffer_.size());
  header.len = header.caplen;
  pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, buffer_.data());
  ++frames_;
}

void PcapWriter::close() {
  if (dumper_ == nullptr) return;
  holdback_.release([this](const FragmentHoldback::Frame& f) { write(f.t, f.pkt, f.whole_payload); }, true);
  // pcap_dump() reports nothing: a failed fwrite shows in the stream's error flag.
  errno = 0;
  const bool flushed = pcap_dump_flush(dumper_) == 0 && std::ferror(pcap_dump_file(dumper_)) == 0;
  const int write_errno = errno;
  pcap_dump_close(dumper_);
  pcap_close(pcap_);
  dumper_ = nullptr;
  pcap_ = nullptr;
  errno = write_errno;
  if (!flushed) throw WriteError(write_failure("pcap file " + path_));
}

void add_ethernet_interfaces(const Node& node, std::vector<const Interface*>& points) {
  for (const auto& i : node.interfaces())
    if (i->kind() == InterfaceKind::Ethernet) points.push_back(i.get());
}

}  // namespace lvs
