#pragma once
// One observer that forwards everything to several: Network takes a single observer, and
// `lvslab trace` watches with its table and a pcap writer at once.

#include <string_view>
#include <vector>

#include "net/observer.hpp"

namespace lvs {

class ObserverFanout : public PacketObserver {
 public:
  /// Adds `o` (not owned; it must outlive the fanout's use); observers are called in the order added.
  void add(PacketObserver& o) { observers_.push_back(&o); }
  std::size_t size() const { return observers_.size(); }

  void on_transmit(Time t, const Interface& out, const Packet& p) override {
    for (PacketObserver* o : observers_) o->on_transmit(t, out, p);
  }
  void on_receive(Time t, const Interface& in, const Packet& p) override {
    for (PacketObserver* o : observers_) o->on_receive(t, in, p);
  }
  void on_action(Time t, const Node& n, const Packet& p, std::string_view what) override {
    for (PacketObserver* o : observers_) o->on_action(t, n, p, what);
  }
  void on_drop(Time t, const Node& n, const Packet& p, std::string_view why) override {
    for (PacketObserver* o : observers_) o->on_drop(t, n, p, why);
  }

 private:
  std::vector<PacketObserver*> observers_;
};

}  // namespace lvs
