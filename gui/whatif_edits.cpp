#include "whatif_edits.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

namespace lvs::gui {

const scenario::ServiceSpec& service_at(const scenario::ScenarioSpec& spec, std::size_t service) {
  if (spec.services.empty()) throw std::invalid_argument("the scenario has no service");
  if (service >= spec.services.size())
    throw std::invalid_argument("the scenario has no service " + std::to_string(service) + ": it has " +
                                std::to_string(spec.services.size()));
  return spec.services[service];
}

std::string number_text(double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, end);
}

void edit_scheduler(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, std::size_t service,
                    const std::string& name) {
  text.set(service_at(spec, service).origin.path + ".scheduler", name);
}

void edit_rate(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, double rate) {
  if (spec.workload.clients.empty() || spec.workload.clients.front().rate.empty())
    throw std::invalid_argument("the first client has no arrival rate (it is closed-loop)");
  const scenario::ClientSpec& c = spec.workload.clients.front();
  const std::string path = c.origin.path + ".arrivals.rate";
  if (text.value(path)) {
    text.set(path, number_text(rate));
    return;
  }
  const double first = c.rate.front().rate;
  for (std::size_t k = 0; k < c.rate.size(); ++k) {
    const double scaled = first > 0 ? c.rate[k].rate * rate / first : rate;
    text.set(path + "[" + std::to_string(k) + "].rate", number_text(scaled));
  }
}

void edit_method(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, const std::string& method) {
  for (const scenario::ServiceSpec& s : spec.services)
    for (const scenario::DestinationSpec& d : s.destinations) text.set(d.origin.path + ".method", method);
}

void edit_weight(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, std::size_t service,
                 std::size_t destination, std::uint32_t weight) {
  const scenario::ServiceSpec& s = service_at(spec, service);
  if (destination >= s.destinations.size()) throw std::out_of_range("no destination " + std::to_string(destination));
  text.set(s.destinations[destination].origin.path + ".weight", std::to_string(weight));
}

void edit_persistence(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, std::size_t service, bool on,
                      std::uint32_t timeout_s, const std::string& netmask) {
  const std::string path = service_at(spec, service).origin.path;
  if (!on) {
    text.erase(path + ".netmask");
    text.erase(path + ".persistent");
    return;
  }
  text.set(path + ".persistent", std::to_string(timeout_s) + "s");
  if (netmask == "255.255.255.255")
    text.erase(path + ".netmask");
  else
    text.set(path + ".netmask", netmask);
}

void edit_servers(scenario::ScenarioText& text, std::size_t service, std::size_t count) {
  scenario::set_server_count(text, service, count);
}

}  // namespace lvs::gui
