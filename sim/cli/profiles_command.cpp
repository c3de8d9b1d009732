#include "cli/profiles_command.hpp"

#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <string>

#include "lvs/director_profiles.hpp"

namespace lvs::cli {

namespace {

struct Column {
  const char* key;  // as a scenario's cpu.cost writes it
  std::optional<ProfileCost> DirectorProfile::*cost;
};
constexpr Column kMethods[] = {{"nat", &DirectorProfile::masquerade},
                               {"dr", &DirectorProfile::direct_routing},
                               {"tun", &DirectorProfile::tunnel},
                               {"fullnat", &DirectorProfile::full_nat}};

constexpr int kWidth = 96;  // the text wraps here

// The packets/s all cores forward at the measured per-packet cost (the cheapest if several).
double max_packets(const DirectorProfile& p) {
  double best = 0;
  for (const Column& m : kMethods) {
    const std::optional<ProfileCost>& c = p.*m.cost;
    if (c && !c->assumed && c->time > Time::zero()) best = std::max(best, p.cores / c->time.seconds());
  }
  return best;
}

// "23.2M", "16.7k".
std::string rate(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1);
  if (v >= 1e6)
    s << v / 1e6 << "M";
  else
    s << v / 1e3 << "k";
  return s.str();
}

// A cost as the table shows it: "833ns", "60us*" (assumed), "-" (no such method).
std::string cell(const std::optional<ProfileCost>& c) {
  if (!c) return "-";
  return to_string(c->time) + (c->assumed ? "*" : "");
}

// `text` in lines of at most kWidth columns, the first after `first`, the others after as many spaces.
void wrapped(std::ostream& out, const std::string& first, std::string_view text) {
  const std::string indent(first.size(), ' ');
  std::istringstream words{std::string(text)};
  std::string word, line;
  const std::string* lead = &first;
  while (words >> word) {
    if (!line.empty() && lead->size() + line.size() + 1 + word.size() > kWidth) {
      out << *lead << line << '\n';
      line.clear();
      lead = &indent;
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out << *lead << line << '\n';
}

void print_table(std::ostream& out) {
  out << std::left << std::setw(22) << "profile" << std::right << std::setw(6) << "cores";
  for (const Column& m : kMethods) out << std::setw(9) << m.key;
  out << std::setw(11) << "new conn" << std::setw(12) << "max pkt/s" << '\n';
  for (const DirectorProfile& p : director_profiles()) {
    const std::string name = std::string(p.name) + (p.name == kDefaultDirectorProfile ? " (default)" : "");
    out << std::left << std::setw(22) << name << std::right << std::setw(6) << p.cores;
    for (const Column& m : kMethods) out << std::setw(9) << cell(p.*m.cost);
    out << std::setw(11) << cell(p.connection) << std::setw(12) << rate(max_packets(p)) << '\n';
  }
  out << "per packet on one core, either direction; new conn: once per connection IPVS creates;\n"
         "max pkt/s: all cores at the measured cost. *: assumed, not measured (see the derivation);\n"
         "-: the implementation has no such method.\n";
}

void print_details(std::ostream& out, const DirectorProfile& p) {
  out << '\n' << p.name << ": " << p.description << '\n';
  wrapped(out, "  hardware    ", p.hardware);
  wrapped(out, "  source      ", p.source);
  wrapped(out, "  derivation  ", p.derivation);
}

nlohmann::ordered_json cost_json(const std::optional<ProfileCost>& c) {
  if (!c) return nullptr;
  return {{"ns", c->time.count()}, {"assumed", c->assumed}};
}

nlohmann::ordered_json to_json(const DirectorProfile& p) {
  nlohmann::ordered_json per_packet = nlohmann::ordered_json::object();
  for (const Column& m : kMethods) per_packet[m.key] = cost_json(p.*m.cost);
  return {{"name", p.name},
          {"default", p.name == kDefaultDirectorProfile},
          {"description", p.description},
          {"hardware", p.hardware},
          {"cores", p.cores},
          {"per_packet", per_packet},
          {"per_connection", cost_json(p.connection)},
          {"max_packets_per_s", std::llround(max_packets(p))},
          {"source", p.source},
          {"derivation", p.derivation}};
}

}  // namespace

void run_profiles(const ProfilesOptions& options, std::ostream& out) {
  if (options.json) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const DirectorProfile& p : director_profiles()) all.push_back(to_json(p));
    out << all.dump(2) << '\n';
    return;
  }
  print_table(out);
  for (const DirectorProfile& p : director_profiles()) print_details(out, p);
}

}  // namespace lvs::cli
