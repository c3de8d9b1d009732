#include "control/health_check_service.hpp"

namespace lvs::control {

namespace {

std::string plain(Ipv4Address addr, std::uint16_t port) { return addr.str() + ":" + std::to_string(port); }

}  // namespace

CheckedService::CheckedService(CheckContext ctx, VirtualService& vs, const scenario::HealthCheckSpec& spec)
    : ctx_(std::move(ctx)), vs_(vs), spec_(spec) {}

void CheckedService::add_server(const DestinationConfig& dest, const std::vector<scenario::CheckSpec>& checks) {
  servers_.push_back(Server{dest, {}, 0, true});
  Server& s = servers_.back();
  const std::uint16_t port = dest.port != 0 ? dest.port : vs_.port();
  for (std::size_t k = 0; k < checks.size(); ++k) {
    // One stream per checker: adding a server or a checker never shifts another's draws.
    Rng& rng = ctx_.sim.rng("health-check/" + ctx_.director + "/" + plain(vs_.vip(), vs_.port()) + "/" +
                            plain(dest.addr, port) + "/" + std::to_string(k));
    s.checkers.push_back(std::make_unique<HealthChecker>(*this, servers_.size() - 1, checks[k], dest.addr, port, rng));
  }
}

void CheckedService::set_sorry_server(const DestinationConfig& dest) {
  sorry_ = Sorry{dest, false};
  sorry_->dest.weight = 1;  // keepalived's sorry server (check_data.c alloc_ssvr) and ldirectord's fallback
}

// ipwrapper.c init_service_rs: under alpha a server is not put in the pool until its checkers
// succeed, unless inhibit_on_failure keeps it there at weight 0. The builder has already added
// the configured destinations, so here they are taken out again (nothing is logged: keepalived
// never added them). Then set_quorum_states and update_quorum_state(vs, init).
void CheckedService::start() {
  const bool alpha = spec_.alpha || ldirectord();
  for (Server& s : servers_) {
    if (!alpha || s.checkers.empty()) continue;
    s.failed_checkers = static_cast<std::uint32_t>(s.checkers.size());
    s.alive = false;
    ipvs_delete(s.dest, spec_.inhibit_on_failure);
  }
  quorum_up_ = live_weight() >= std::int64_t{spec_.quorum} + spec_.hysteresis;
  update_quorum(true);
  for (Server& s : servers_)
    for (auto& c : s.checkers) c->start();
}

void CheckedService::stop() {
  for (Server& s : servers_)
    for (auto& c : s.checkers) c->stop();
}

void CheckedService::restart() {
  for (Server& s : servers_) {
    if (!s.alive) ipvs_add(s.dest, spec_.inhibit_on_failure);
    s.alive = true;
    s.failed_checkers = 0;
  }
  if (sorry_ && sorry_->alive) {
    ipvs_delete(sorry_->dest, false);
    sorry_->alive = false;
  }
  start();
}

// ipwrapper.c update_svr_checker_state: a server is alive while none of its checkers is down.
void CheckedService::checker_changed(std::size_t server, bool up) {
  Server& s = servers_.at(server);
  if (up) {
    if (s.failed_checkers <= 1) perform_server_state(s, true);
    if (s.failed_checkers != 0) --s.failed_checkers;
  } else {
    if (s.failed_checkers == 0) perform_server_state(s, false);
    ++s.failed_checkers;
  }
}

// ipwrapper.c perform_svr_state: while the sorry server stands in, the pool is left alone
// (the server joins it when the quorum is gained again).
void CheckedService::perform_server_state(Server& s, bool alive) {
  if (s.alive == alive) return;
  const bool inhibit = spec_.inhibit_on_failure;
  std::string detail = alive ? (inhibit ? "weight " + std::to_string(s.dest.weight) : "added")
                             : (inhibit ? "weight 0" : "removed");
  if (quorum_up_ || !sorry_ || !sorry_->alive) {
    if (alive)
      ipvs_add(s.dest, inhibit);
    else
      ipvs_delete(s.dest, inhibit);
  }
  s.alive = alive;
  log(service_name(s.dest.addr, s.dest.port != 0 ? s.dest.port : vs_.port()),
      alive ? "realserver-up" : "realserver-down", std::move(detail), server_line(s, alive));
  update_quorum(false);
}

// ipwrapper.c update_quorum_state: quorum is gained at quorum + hysteresis and lost below
// quorum - hysteresis (or with no live weight at all); the sorry server follows it.
void CheckedService::update_quorum(bool init) {
  const std::int64_t weight = live_weight();
  const std::int64_t threshold = std::int64_t{spec_.quorum} + (quorum_up_ ? -1 : 1) * std::int64_t{spec_.hysteresis};
  if (!quorum_up_ && weight >= threshold) {
    quorum_up_ = true;
    if (sorry_ && sorry_->alive) {
      ipvs_delete(sorry_->dest, false);
      sorry_->alive = false;
      quorum_servers(true);
      log(service_name(sorry_->dest.addr, sorry_->dest.port), "sorry-server-off",
          "quorum " + std::to_string(spec_.quorum) + " gained (live weight " + std::to_string(weight) + ")",
          sorry_line(false));
    }
  } else if ((quorum_up_ && (weight == 0 || weight < threshold)) || (init && !quorum_up_ && sorry_ && !sorry_->alive)) {
    quorum_up_ = false;
    if (sorry_ && !sorry_->alive) {
      quorum_servers(false);
      ipvs_add(sorry_->dest, false);
      sorry_->alive = true;
      log(service_name(sorry_->dest.addr, sorry_->dest.port), "sorry-server-on",
          "quorum " + std::to_string(spec_.quorum) + " lost (live weight " + std::to_string(weight) + ")",
          sorry_line(true));
    }
  }
}

// ipwrapper.c perform_quorum_state: the live servers leave or rejoin the pool together.
void CheckedService::quorum_servers(bool add) {
  for (const Server& s : servers_) {
    if (!s.alive) continue;
    if (add)
      ipvs_add(s.dest, spec_.inhibit_on_failure);
    else
      ipvs_delete(s.dest, spec_.inhibit_on_failure);
  }
}

// ipvswrapper.c ipvs_cmd: ADDDEST puts the server at the head of the list; with
// inhibit_on_failure a server still in the table gets its weight back with EDITDEST.
bool CheckedService::ipvs_add(const DestinationConfig& dest, bool inhibit) const {
  IpvsadmCommand cmd;
  cmd.service = &vs_;
  cmd.dest = dest;
  const std::optional<DestId> id = vs_.find(dest.addr, dest.port);
  if (inhibit && id && vs_.has(*id)) {
    cmd.op = IpvsadmCommand::Op::EditDest;
    cmd.weight = dest.weight;
  } else {
    cmd.op = IpvsadmCommand::Op::AddDest;
  }
  return apply(cmd);
}

// DELDEST, or with inhibit_on_failure EDITDEST to weight 0 (the server stays in the list).
bool CheckedService::ipvs_delete(const DestinationConfig& dest, bool inhibit) const {
  IpvsadmCommand cmd;
  cmd.service = &vs_;
  cmd.dest = dest;
  cmd.op = inhibit ? IpvsadmCommand::Op::EditDest : IpvsadmCommand::Op::DeleteDest;
  if (inhibit) cmd.weight = 0;
  return apply(cmd);
}

// ipwrapper.c weigh_live_realservers: the configured weights of the live servers.
std::int64_t CheckedService::live_weight() const {
  std::int64_t sum = 0;
  for (const Server& s : servers_)
    if (s.alive) sum += s.dest.weight;
  return sum;
}

std::string CheckedService::vs_name() const { return service_name(vs_.vip(), vs_.port()); }

// keepalived: "%sing service %s %s VS %s" (perform_svr_state); ldirectord: its
// "Added/Deleted/Quiescent real server" lines.
std::string CheckedService::server_line(const Server& s, bool alive) const {
  const std::uint16_t port = s.dest.port != 0 ? s.dest.port : vs_.port();
  const bool inhibit = spec_.inhibit_on_failure;
  if (ldirectord()) {
    const std::string rs = plain(s.dest.addr, port) + " (" + plain(vs_.vip(), vs_.port()) + ")";
    if (alive) return "Added real server: " + rs + " (Weight set to " + std::to_string(s.dest.weight) + ")";
    return inhibit ? "Quiescent real server: " + rs + " (Weight set to 0)" : "Deleted real server: " + rs;
  }
  const std::string rs = service_name(s.dest.addr, port);
  if (inhibit) return (alive ? "Enabling service " : "Disabling service ") + rs + " of VS " + vs_name();
  return alive ? "Adding service " + rs + " to VS " + vs_name() : "Removing service " + rs + " from VS " + vs_name();
}

std::string CheckedService::sorry_line(bool on) const {
  if (ldirectord()) {
    const std::string f = plain(sorry_->dest.addr, sorry_->dest.port) + " (" + plain(vs_.vip(), vs_.port()) + ")";
    return on ? "Added fallback server: " + f + " (Weight set to 1)" : "Deleted fallback server: " + f;
  }
  const std::string f = service_name(sorry_->dest.addr, sorry_->dest.port);
  return on ? "Adding sorry server " + f + " to VS " + vs_name() : "Removing sorry server " + f + " from VS " + vs_name();
}

void CheckedService::log(std::string component, std::string event, std::string detail, std::string line) const {
  ctx_.log.add(ctx_.sim.now(), std::move(component), std::move(event), ctx_.director + ": " + detail, std::move(line));
}

}  // namespace lvs::control
