#include "capture/fragment_holdback.hpp"

#include "capture/frame_bytes.hpp"

namespace lvs {

namespace {

bool same_datagram(const Ipv4Header& a, const Ipv4Header& b) {
  return a.src == b.src && a.dst == b.dst && a.proto == b.proto && a.id == b.id;
}

}  // namespace

bool FragmentHoldback::starts_datagram(const Packet& p) {
  const Ipv4Header* h = fragmented_header(p);
  return h != nullptr && h->frag_offset == 0 && h->more_fragments;
}

void FragmentHoldback::hold(Time t, const Interface& at, const Packet& p) {
  frames_.push_back(Frame{t, &at, p, 0, starts_datagram(p)});
  const Ipv4Header* last = fragmented_header(p);
  if (last == nullptr || last->more_fragments) return;
  // The last fragment: its datagram's IP payload ends where its own does (RFC 791).
  for (Frame& f : frames_)
    if (f.waiting && f.at == &at && same_datagram(*fragmented_header(f.pkt), *last)) {
      f.whole_payload = std::uint32_t{last->frag_offset} * 8 + p.payload;
      f.waiting = false;
      return;
    }
}

}  // namespace lvs
