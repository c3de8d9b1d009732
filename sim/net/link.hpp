#pragma once
// A full-duplex point-to-point link: one drop-tail FIFO per direction.

#include <array>

#include "net/node.hpp"

namespace lvs {

class Link final : public Channel {
 public:
  /// Connects `a` (port 0) and `b` (port 1); both directions get `params`.
  Link(Network& net, std::string name, Interface& a, Interface& b, TxParams params);
  void transmit(int port, PacketId p, std::uint32_t frame_bytes) override;
  /// The direction that sends from `port`.
  const TxQueue& direction(int port) const { return tx_[static_cast<std::size_t>(port)]; }
  Interface& end(int port) const { return *end_[static_cast<std::size_t>(port)]; }

 private:
  Network& net_;
  std::array<Interface*, 2> end_;
  std::array<TxQueue, 2> tx_;
};

}  // namespace lvs
