#include "control/health_check.hpp"

#include <algorithm>
#include <utility>

#include "control/health_check_service.hpp"

namespace lvs::control {

using scenario::CheckFlavour;
using scenario::CheckKind;

std::uint32_t keepalived_get_bytes(std::string_view path, Ipv4Address host, std::uint16_t port) {
  // check_http.c request_template: "GET %s HTTP/1.0\r\n" "User-Agent: KeepAliveClient\r\n"
  // "Host: %s%s\r\n\r\n", the second %s being ":PORT".
  const std::string host_port = host.str() + ":" + std::to_string(port);
  return static_cast<std::uint32_t>(std::string_view("GET  HTTP/1.0\r\n").size() + path.size() +
                                    std::string_view("User-Agent: KeepAliveClient\r\n").size() +
                                    std::string_view("Host: \r\n\r\n").size() + host_port.size());
}

// Appended piece by piece: GCC 12 warns, wrongly, of an overlapping memcpy (-Wrestrict) in
// libstdc++'s "literal" + std::string&&, which inserts the literal before the temporary.
std::string bracketed(Ipv4Address addr) {
  std::string text = "[";
  text += addr.str();
  text += ']';
  return text;
}

std::string service_name(Ipv4Address addr, std::uint16_t port) {
  return bracketed(addr) + ':' + std::to_string(port);
}

HealthChecker::HealthChecker(CheckedService& service, std::size_t server, const scenario::CheckSpec& spec,
                             Ipv4Address rip, std::uint16_t port, Rng& rng)
    : service_(service), server_(server), spec_(spec), rip_(rip), port_(port), rng_(rng),
      name_(service_name(rip, spec.connect_port.value_or(port))) {}

HealthChecker::~HealthChecker() {
  Simulation& sim = service_.context().sim;
  timeout_.cancel(sim);
  next_.cancel(sim);
}

// keepalived: the checker starts UP with retry_it preset to retry, so that the first failure
// marks it DOWN at once; under alpha it starts DOWN (check_api.c, §7). ldirectord adds a real
// server when a check finds it alive (ldirectord(8), DESCRIPTION), so it starts as alpha does.
// keepalived's first attempt is at BOOTSTRAP_DELAY + U[0, warmup] (register_checkers_thread);
// ldirectord checks at once.
void HealthChecker::start() {
  const scenario::HealthCheckSpec& hc = service_.spec();
  const bool ldirectord = hc.flavour == CheckFlavour::Ldirectord;
  const bool alpha = hc.alpha || ldirectord;
  is_up_ = !alpha;
  has_run_ = false;
  retry_it_ = alpha || ldirectord ? 0 : spec_.retry;
  Simulation& sim = service_.context().sim;
  Time delay = Time::zero();
  if (!ldirectord) {
    const Time warmup = hc.warmup.value_or(hc.delay_loop);
    delay = scenario::kCheckerBootstrapDelay +
            Time::ns(static_cast<std::int64_t>(rng_.uniform01() * static_cast<double>(warmup.count())));
  }
  first_run_ = sim.now() + delay;
  next_.restart(sim, delay, [this] { attempt(); });
}

void HealthChecker::stop() {
  Simulation& sim = service_.context().sim;
  timeout_.cancel(sim);
  next_.cancel(sim);
  ++generation_;
  in_attempt_ = false;
  connected_ = false;
  socket_ = kNoSocket;
}

void HealthChecker::attempt() {
  ++stats_.attempts;
  ++generation_;
  in_attempt_ = true;
  connected_ = false;
  if (spec_.kind == CheckKind::Misc)
    attempt_misc();
  else
    attempt_tcp();
}

// MISC_CHECK: the script's exit status, drawn; it sends nothing.
void HealthChecker::attempt_misc() {
  const bool ok = rng_.uniform01() < spec_.misc_success;
  finish(ok, "Misc check for " + name_ + " failed.");
}

// A connect from the director (source: the address of the interface on the route to the
// RIP) to rip:connect_port, given connect_timeout in all (keepalived tcp_connection_state,
// and for HTTP_GET the connect, the GET and the whole reply).
void HealthChecker::attempt_tcp() {
  Transport& t = service_.context().transport;
  socket_ = t.tcp_connect(Ipv4Address(), 0, rip_, spec_.connect_port.value_or(port_), *this, generation_);
  if (!in_attempt_) return;  // refused at once (no route, no local port): already finished
  timeout_.restart(service_.context().sim, spec_.connect_timeout, [this] { on_timeout(); });
}

void HealthChecker::on_connected(SocketId s, std::uint64_t user) {
  if (user != generation_ || !in_attempt_) return;
  connected_ = true;
  if (spec_.kind == CheckKind::Tcp) {
    finish(true, "");
    return;
  }
  const std::uint32_t bytes =
      spec_.request_bytes != 0 ? spec_.request_bytes
                               : keepalived_get_bytes(spec_.url_path, rip_, spec_.connect_port.value_or(port_));
  service_.context().transport.tcp_send(s, bytes, generation_);
}

// HTTP_GET: the whole reply is in; its status must be status_code (check_http.c
// http_handle_response).
void HealthChecker::on_message(SocketId /*s*/, std::uint64_t user, std::uint64_t /*tag*/, std::uint32_t /*bytes*/) {
  if (user != generation_ || !in_attempt_) return;
  const HttpStatusLookup& lookup = service_.context().http_status;
  const std::optional<int> status = lookup ? lookup(rip_, spec_.connect_port.value_or(port_)) : std::optional<int>(200);
  finish(status && *status == spec_.status_code, "HTTP status code error to server " + name_ + ".");
}

void HealthChecker::on_closed(SocketId /*s*/, std::uint64_t user, TcpCloseReason /*why*/) {
  if (user != generation_ || !in_attempt_) return;
  socket_ = kNoSocket;  // the transport is done with it
  if (spec_.kind == CheckKind::Tcp)
    finish(false, "TCP connection to " + name_ + " failed.");
  else if (!connected_)
    finish(false, "Error connecting server " + name_ + ".");
  else
    finish(false, "Read, no data received from  server " + name_ + ".");
}

void HealthChecker::on_timeout() {
  if (!in_attempt_) return;
  if (spec_.kind == CheckKind::Tcp)
    finish(false, "TCP connection to " + name_ + " timedout.");
  else
    finish(false, (connected_ ? "Timeout WEB read server " : "Timeout connecting server ") + name_ + ".");
}

// Closes what is left of the attempt's socket: close() in SYN-SENT sends nothing; on an
// established connection with the reply unread (an HTTP timeout) Linux answers with RST.
void HealthChecker::end_socket(bool abort) {
  const SocketId s = std::exchange(socket_, kNoSocket);
  if (s == kNoSocket) return;
  Transport& t = service_.context().transport;
  if (abort)
    t.tcp_abort(s);
  else
    t.tcp_close(s);
}

void HealthChecker::finish(bool ok, std::string line) {
  in_attempt_ = false;  // callbacks of the socket from here on are stale
  Simulation& sim = service_.context().sim;
  timeout_.cancel(sim);
  end_socket(!ok && connected_ && spec_.kind == CheckKind::Http);
  if (!ok) {
    ++stats_.failures;
    if (is_up_ || !has_run_) service_.log(name_, "check-fail", "attempt failed", std::move(line));
  }
  Time delay;
  if (service_.spec().flavour == CheckFlavour::Ldirectord)
    delay = epilog_ldirectord(ok);
  else if (spec_.kind == CheckKind::Http)
    delay = epilog_keepalived_http(ok);
  else
    delay = epilog_keepalived_tcp(ok);
  next_.restart(sim, delay, [this] { attempt(); });
}

// check_tcp.c tcp_epilog (check_misc.c follows the same rule): after retry failed retries
// the checker goes DOWN and waits delay_loop; a retry waits delay_before_retry.
Time HealthChecker::epilog_keepalived_tcp(bool ok) {
  Time delay;
  if (ok || retry_it_ >= spec_.retry) {
    delay = service_.spec().delay_loop;
    retry_it_ = 0;
    if (ok && (!is_up_ || !has_run_))
      go_up();
    else if (!ok && (is_up_ || !has_run_))
      go_down(spec_.retry != 0 && has_run_);
  } else {
    delay = spec_.delay_before_retry;
    ++retry_it_;
  }
  has_run_ = true;
  return delay;
}

// check_http.c epilog / timeout_epilog: retry_it counts the failures while UP; past retry the
// checker goes DOWN and re-checks every max(delay_before_retry, delay_loop) until a success.
Time HealthChecker::epilog_keepalived_http(bool ok) {
  const Time delay_loop = service_.spec().delay_loop;
  if (ok) {
    retry_it_ = 0;
    if (!is_up_ || !has_run_) go_up();
    has_run_ = true;
    failed_url_ = false;
    return delay_loop;
  }
  if (is_up_ || !has_run_) {
    has_run_ = true;
    if (++retry_it_ > spec_.retry) {
      go_down(spec_.retry != 0);
      failed_url_ = true;
    }
  }
  return failed_url_ ? std::max(spec_.delay_before_retry, delay_loop) : spec_.delay_before_retry;
}

// ldirectord: one check per checkinterval; failurecount (= retry + 1) consecutive failures
// make the server fail, a success resets the count (ldirectord(8), failurecount).
Time HealthChecker::epilog_ldirectord(bool ok) {
  if (ok) {
    retry_it_ = 0;
    if (!is_up_ || !has_run_) go_up();
  } else if (++retry_it_ >= spec_.retry + 1 && (is_up_ || !has_run_)) {
    go_down(spec_.retry != 0);
  }
  has_run_ = true;
  return service_.spec().delay_loop;
}

void HealthChecker::go_up() {
  std::string line;
  switch (spec_.kind) {
    case CheckKind::Tcp: line = "TCP connection to " + name_ + " success."; break;
    case CheckKind::Http: line = "Remote Web server " + name_ + " succeed on service."; break;
    case CheckKind::Misc: line = "Misc check for " + name_ + " succeeded."; break;
  }
  service_.log(name_, "check-ok", "up", std::move(line));
  if (is_up_) return;
  service_.checker_changed(server_, true);
  is_up_ = true;
}

void HealthChecker::go_down(bool after_retries) {
  const std::string kind = spec_.kind == CheckKind::Tcp    ? "TCP_CHECK"
                           : spec_.kind == CheckKind::Http ? "HTTP_CHECK"
                                                           : "MISC_CHECK";
  std::string line = kind + " on service " + name_ + " failed";
  line += after_retries ? " after " + std::to_string(spec_.retry) + " retries." : ".";
  service_.log(name_, "check-fail", "down", std::move(line));
  if (!is_up_) return;
  service_.checker_changed(server_, false);
  is_up_ = false;
}

}  // namespace lvs::control
