#pragma once
// Writes the frames that cross chosen interfaces (the capture points) to a pcap file. Where a
// frame is written is a choice (CaptureAt): as tcpdump on each capture interface would, when
// it leaves one and again when it arrives at one (BothEnds); or once, when it is sent, by a
// capture point or to one over the same segment or link (Sender). libpcap writes the file:
// link type Ethernet (DLT_EN10MB), nanosecond timestamps that are the simulated time since
// the start of the run. The bytes are those of serialize_frame() (valid headers and
// checksums, zero payload bytes).
//
// Frames are written as they are observed, so the file is in simulated-time order; only
// behind a first IP fragment are frames held until its datagram's length is known (see
// FragmentHoldback). The per-frame path reuses one buffer: nothing is allocated per frame.

#include <pcap/pcap.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "capture/fragment_holdback.hpp"
#include "net/node.hpp"
#include "net/observer.hpp"

namespace lvs {

/// Where a frame crossing the capture points is written.
enum class CaptureAt {
  BothEnds,  ///< when it leaves a capture point and when it arrives at one (tcpdump on each)
  Sender,    ///< once, when sent by a capture point or towards one (its MAC, or broadcast)
};

class PcapWriter : public PacketObserver {
 public:
  /// Opens `path` for writing (truncating it); captures at `capture_points` (not owned).
  /// Throws std::runtime_error naming the file and libpcap's message if it cannot be opened.
  PcapWriter(const std::string& path, std::vector<const Interface*> capture_points,
             CaptureAt at = CaptureAt::BothEnds);
  ~PcapWriter() override;
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  void on_transmit(Time t, const Interface& out, const Packet& p) override {
    if (at_ == CaptureAt::BothEnds ? captures(out) : sent_to_capture(out, p)) capture(t, out, p);
  }
  void on_receive(Time t, const Interface& in, const Packet& p) override {
    if (at_ == CaptureAt::BothEnds && captures(in)) capture(t, in, p);
  }

  /// True if frames crossing `iface` are captured.
  bool captures(const Interface& iface) const;
  /// Frames written so far.
  std::uint64_t frames() const { return frames_; }
  const std::string& path() const { return path_; }

  /// Writes any held frames and closes the file; later frames are ignored. Throws
  /// WriteError (core/file_output.hpp) if the file could not be written completely. Idempotent.
  void close();

 private:
  bool sent_to_capture(const Interface& out, const Packet& p) const;
  void capture(Time t, const Interface& at, const Packet& p);
  void write(Time t, const Packet& p, std::uint32_t whole_payload);

  static constexpr std::size_t kMaxHeld = 4096;  ///< frames held behind a first fragment at most

  std::string path_;
  std::vector<const Interface*> points_;  // sorted (std::less) for binary search
  CaptureAt at_;
  std::map<const Channel*, std::vector<const Interface*>> on_channel_;  // the points on each segment or link
  pcap_t* pcap_ = nullptr;
  pcap_dumper_t* dumper_ = nullptr;
  FragmentHoldback holdback_;
  std::vector<std::uint8_t> buffer_;
  std::uint64_t frames_ = 0;
};

/// Appends the Ethernet interfaces of `node` (not lo, not tunl0) to `points`.
void add_ethernet_interfaces(const Node& node, std::vector<const Interface*>& points);

}  // namespace lvs
