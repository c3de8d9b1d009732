#include "control/pacemaker.hpp"

namespace lvs::control {

Pacemaker::Pacemaker(Simulation& sim, EventLog& log, Failures& failures, std::string resource, Ipv4Prefix address,
                     storage::PacemakerTiming timing, std::array<PacemakerNode, 2> nodes)
    : sim_(sim),
      log_(log),
      failures_(failures),
      resource_(std::move(resource)),
      address_(address),
      timing_(timing),
      nodes_(nodes) {
  failures_.on_host_down([this](Host& h) {
    for (int n = 0; n < 2; ++n)
      if (&h == nodes_[static_cast<std::size_t>(n)].host) {
        nodes_[static_cast<std::size_t>(n)].drbd->power_off();
        node_lost(n);
      }
  });
  // A node that boots rejoins as DRBD Secondary; nfsd and the address stay where they are.
  failures_.on_host_up([this](Host& h) {
    for (int n = 0; n < 2; ++n) {
      const PacemakerNode& node = nodes_[static_cast<std::size_t>(n)];
      if (&h != node.host) continue;
      node.drbd->start_secondary();
      record(host_name(n), "cluster-join", "drbd Secondary",
             "pacemaker-controld: notice: Node " + host_name(n) + " state is now member; drbd " + resource_ +
                 ": role( Secondary )");
      if (primary_ >= 0) nodes_[static_cast<std::size_t>(primary_)].drbd->promote(node.iface->primary_address());
    }
  });
}

void Pacemaker::record(const std::string& component, const std::string& event, const std::string& detail,
                       const std::string& line) {
  log_.add(sim_.now(), component, event, detail, line);
}

void Pacemaker::start() {
  nodes_[1].drbd->start_secondary();
  take_over(0);
}

// The service runs on `node`: DRBD Primary replicating to the other node, the address on its
// interface, announced with gratuitous ARPs, and nfsd started.
void Pacemaker::take_over(int node) {
  primary_ = node;
  const PacemakerNode& n = nodes_[static_cast<std::size_t>(node)];
  const PacemakerNode& peer = nodes_[static_cast<std::size_t>(1 - node)];
  n.drbd->promote(peer.iface->primary_address());
  if (!n.iface->has_address(address_.address())) n.iface->add_address(address_);
  address_up_at_ = sim_.now();
  n.nfs->start();
  send_garps(kIpaddr2ArpRepeat);
}

void Pacemaker::send_garps(int left) {
  if (primary_ < 0 || left <= 0) return;
  const PacemakerNode& n = nodes_[static_cast<std::size_t>(primary_)];
  n.host->send_gratuitous_arp(*n.iface, address_.address());
  garp_.restart(sim_, kIpaddr2ArpInterval, [this, left] { send_garps(left - 1); });
}

void Pacemaker::after(Time delay, void (Pacemaker::*step)()) {
  step_.restart(sim_, delay, [this, step] { (this->*step)(); });
}

// Only the loss of the node running the service moves it; a lost Secondary leaves the
// Primary disconnected (DRBD's timeout finds it: storage/drbd.hpp).
void Pacemaker::node_lost(int node) {
  if (node != primary_) return;
  const PacemakerNode& dead = nodes_[static_cast<std::size_t>(node)];
  dead.iface->remove_address(address_.address());  // IPaddr2's address is not in the boot configuration
  garp_.cancel(sim_);
  primary_ = -1;
  survivor_ = 1 - node;
  after(timing_.detection, &Pacemaker::node_lost_detected);
}

// Corosync: the token was not passed within `token`, then `consensus` for a new membership.
void Pacemaker::node_lost_detected() {
  const std::string lost = host_name(1 - survivor_);
  if (failures_.crashed(*nodes_[static_cast<std::size_t>(survivor_)].host)) {
    record(host_name(survivor_), "cluster-lost", lost, "pacemaker: both nodes down, " + resource_ + " stopped");
    return;
  }
  record(host_name(survivor_), "node-lost", lost,
         "corosync[1]: [TOTEM ] A processor failed, forming new configuration; pacemaker-controld: warning: Node " +
             lost + " is lost, scheduling fencing");
  after(timing_.fencing, &Pacemaker::fenced);
}

void Pacemaker::fenced() {
  const std::string lost = host_name(1 - survivor_);
  record(host_name(survivor_), "fenced", lost,
         "pacemaker-fenced: notice: Operation 'reboot' targeting " + lost + " by " + host_name(survivor_) + ": OK");
  record(host_name(survivor_), "promote", "drbd " + resource_,
         "pacemaker-controld: notice: Initiating promote operation drbd_" + resource_ + "_promote_0 on " +
             host_name(survivor_));
  after(timing_.promote, &Pacemaker::promoted);
}

void Pacemaker::promoted() {
  record(host_name(survivor_), "promoted", "Secondary->Primary",
         "kernel: drbd " + resource_ + ": role( Secondary -> Primary ); pacemaker-controld: notice: Initiating start "
         "operation fs_" + resource_ + "_start_0 (mount, exportfs, nfsserver) on " + host_name(survivor_));
  after(timing_.start, &Pacemaker::started);
}

void Pacemaker::started() {
  const int node = survivor_;
  take_over(node);
  const PacemakerNode& n = nodes_[static_cast<std::size_t>(node)];
  record(host_name(node), "address-up", address_.str() + " on " + n.iface->name(),
         "IPaddr2(ip_" + resource_ + "): INFO: Adding inet address " + address_.str() + " to device " +
             n.iface->name() + "; send_arp x " + std::to_string(kIpaddr2ArpRepeat) + "; nfsd started (empty page cache)");
}

}  // namespace lvs::control
