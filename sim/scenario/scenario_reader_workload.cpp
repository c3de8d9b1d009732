// The `workload` section: client populations, open loop (`arrivals`) or closed loop (`users`).

#include "scenario/scenario_reader_detail.hpp"

namespace lvs::scenario::reader {

namespace {

double positive_rate(const Cursor& c) {
  const double rate = c.as<double>();
  if (rate <= 0) c.fail("expected a number > 0 (sessions per second), got " + scenario::quoted(c.as<std::string>()));
  return rate;
}

// A rate profile: steps {at, rate}, the first at 0s, then strictly later ones.
std::vector<RateStep> read_rate_profile(const Cursor& list) {
  std::vector<RateStep> steps;
  for (const Cursor& item : list.items()) {
    item.allow_keys({"at", "rate"});
    const RateStep step{item.required<Time>("at"), item.required<double>("rate", at_least(0.0))};
    if (steps.empty() && step.at != Time::zero())
      item.at("at").fail("the first step must be at 0s, got " + scenario::quoted(item.at("at").as<std::string>()));
    if (!steps.empty() && step.at <= steps.back().at)
      item.at("at").fail("steps must be in increasing time: " + to_string(step.at) + " is not after " +
                         to_string(steps.back().at));
    steps.push_back(step);
  }
  if (steps.empty()) list.fail("expected a rate or at least one step {at, rate}, got an empty list");
  return steps;
}

void read_arrivals(const Cursor& c, ClientSpec& client) {
  c.allow_keys({"process", "rate"});
  client.process = c.choice("process", {"poisson", "constant"}, "poisson") == "constant" ? ArrivalProcess::Constant
                                                                                         : ArrivalProcess::Poisson;
  const Cursor rate = c.at("rate");
  if (rate.is_sequence())
    client.rate = read_rate_profile(rate);
  else
    client.rate = {RateStep{Time::zero(), positive_rate(rate)}};
}

// `target: 192.168.10.100` with `port: 80`; "192.168.10.100:80" is refused with a hint.
Ipv4Address read_target(const Cursor& client) {
  const Cursor target = client.at("target");
  if (target.is_scalar() && target.as<std::string>().find(':') != std::string::npos)
    target.fail("expected an IPv4 address (e.g. 192.168.10.100), got " + scenario::quoted(target.as<std::string>()) +
                "; give the port as 'port: 80'");
  return target.as<Ipv4Address>();
}

void read_loop(const Cursor& c, ClientSpec& client) {
  exactly_one_of(c, "arrivals", "users", "a client is open loop (arrivals) or closed loop (users)");
  if (const std::optional<Cursor> arrivals = c.find("arrivals")) read_arrivals(*arrivals, client);
  client.users = optional_count<std::uint32_t>(c, "users", 0, 1, kMaxUsers);
  client.think_time = optional_distribution<Time>(c, "think_time", client.think_time);
}

ClientSpec read_client(const Cursor& c) {
  c.allow_keys({"name", "host", "protocol", "target", "port", "arrivals", "users", "think_time",
                "requests_per_connection", "request_size", "timeout", "max_open", "start", "stop", "sites"});
  ClientSpec client;
  client.origin = origin_of(c);
  client.host = required_name(c, "host");
  client.name = c.has("name") ? required_name(c, "name") : client.host;
  client.protocol = read_protocol(c);
  client.target = read_target(c);
  client.port = optional_port(c, "port", 80);
  read_loop(c, client);
  client.requests_per_connection = optional_count<std::uint32_t>(c, "requests_per_connection", 1, 1, 1'000'000'000);
  client.request_size = optional_distribution<ByteSize>(c, "request_size", client.request_size);
  client.timeout = positive_duration(c, "timeout", client.timeout);
  client.max_open = optional_count<std::uint32_t>(c, "max_open", kDefaultMaxOpen, 1, 1'048'576);
  client.start = c.optional<Time>("start", Time::zero());
  client.sites = optional_count<std::uint32_t>(c, "sites", 1, 1, 65536);
  if (const std::optional<Cursor> stop = c.find("stop")) {
    client.stop = stop->as<Time>();
    if (*client.stop <= client.start)
      stop->fail("stop " + to_string(*client.stop) + " is not after start " + to_string(client.start));
  }
  return client;
}

}  // namespace

WorkloadSpec read_workload(const Cursor& c) {
  c.allow_keys({"clients", "content"});
  WorkloadSpec w;
  for (const Cursor& item : required_items(c, "clients", "client")) w.clients.push_back(read_client(item));
  if (const std::optional<Cursor> content = c.find("content")) w.content = read_content(*content);
  return w;
}

}  // namespace lvs::scenario::reader
