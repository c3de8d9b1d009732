#pragma once
// Frames held back while a first fragment waits for the length of its whole datagram.
//
// The first fragment carries the L4 header, whose length field (UDP) and checksum (TCP,
// UDP: over the pseudo-header's length) are those of the whole datagram; the fragment does
// not know it. The datagram's last fragment (MF clear) does: its offset plus its payload.
// So from a first fragment on, frames are held in order until the last fragment of that
// datagram has crossed the same interface; then the first is written with the whole
// length and everything before the next still-waiting first fragment follows, in order.
// A datagram whose last fragment never comes (lost on the way) is released by the caller,
// with the fragment's own length, when too many frames are held or at the end.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/time.hpp"
#include "net/interface.hpp"
#include "net/packet.hpp"

namespace lvs {

class FragmentHoldback {
 public:
  struct Frame {
    Time t;
    const Interface* at = nullptr;
    Packet pkt;
    std::uint32_t whole_payload = 0;  ///< the whole datagram's IP payload, bytes, once known
    bool waiting = false;             ///< a first fragment whose last fragment has not come yet
  };

  /// True for the first fragment of a datagram (offset 0, MF set).
  static bool starts_datagram(const Packet& p);
  /// True when nothing is held: then a frame that starts no datagram may be written at once.
  bool empty() const { return frames_.empty(); }
  std::size_t size() const { return frames_.size(); }

  /// Holds the frame of `p` crossing `at`; a last fragment completes the waiting first
  /// fragment of its datagram at the same interface.
  void hold(Time t, const Interface& at, const Packet& p);

  /// Hands the frames that wait for nothing, oldest first, to `write(const Frame&)`, up to
  /// the first that still waits; with `all`, every frame.
  template <class Write>
  void release(Write&& write, bool all = false) {
    std::size_t n = 0;
    while (n < frames_.size() && (all || !frames_[n].waiting)) write(frames_[n++]);
    frames_.erase(frames_.begin(), frames_.begin() + static_cast<std::ptrdiff_t>(n));
  }

 private:
  std::vector<Frame> frames_;
};

}  // namespace lvs
