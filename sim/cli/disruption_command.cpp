#include "cli/disruption_command.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>

#include "cli/option_error.hpp"
#include "cli/output_paths.hpp"
#include "core/file_output.hpp"
#include "schedulers/disruption.hpp"
#include "schedulers/mh.hpp"

namespace lvs::cli {

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out.append(out.empty() ? "" : ", ").append(n);
  return out;
}

void check_schedulers(const std::vector<std::string>& names) {
  const auto& valid = disruption_schedulers();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (std::find(valid.begin(), valid.end(), names[i]) == valid.end())
      throw option_error("--schedulers", "unknown scheduler '" + names[i] + "'; valid: " + joined(valid) +
                                             " (the hashing ones; ring is not a kernel scheduler)");
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), names[i]) !=
        names.begin() + static_cast<std::ptrdiff_t>(i))
      throw option_error("--schedulers", "scheduler '" + names[i] + "' given twice");
  }
}

std::uint32_t checked_table_size(const std::optional<std::int64_t>& m) {
  if (!m) return MaglevTable::default_size;
  if (*m < 0 || *m > 1'000'000 || !is_maglev_kernel_size(static_cast<std::uint32_t>(*m))) {
    std::string primes;
    for (std::uint32_t p : maglev_kernel_sizes) primes.append(primes.empty() ? "" : ", ").append(std::to_string(p));
    throw option_error("--table-size", "mh accepts only the primes of ip_vs_mh.c (CONFIG_IP_VS_MH_TAB_INDEX 8..17): " +
                                           primes + "; got " + std::to_string(*m));
  }
  return static_cast<std::uint32_t>(*m);
}

void check_counts(const DisruptionOptions& o) {
  if (!o.servers) throw option_error("--servers", "required: the number of servers N before the change");
  if (*o.servers < 1 || *o.servers > 60000) throw option_error("--servers", "expected 1..60000, got " + std::to_string(*o.servers));
  if (o.fail.has_value() == o.add.has_value()) throw option_error("--fail", "give exactly one of --fail K or --add K");
  if (o.fail && (*o.fail < 1 || *o.fail >= *o.servers))
    throw option_error("--fail", "expected 1..N-1 = " + std::to_string(*o.servers - 1) + " (K < N: someone must survive), got " +
                                     std::to_string(*o.fail));
  if (o.add && (*o.add < 1 || *o.add + *o.servers > 60000))
    throw option_error("--add", "expected 1..60000-N, got " + std::to_string(*o.add));
  if (o.flows < 1 || o.flows > 10'000'000) throw option_error("--flows", "expected 1..10000000, got " + std::to_string(o.flows));
  if (o.vnodes < 1 || o.vnodes > 100'000) throw option_error("--vnodes", "expected 1..100000, got " + std::to_string(o.vnodes));
  if (o.on_failure != "remove" && o.on_failure != "inhibit")
    throw option_error("--on-failure", "expected remove (keepalived's DELDEST, the default) or inhibit (inhibit_on_failure: "
                                       "weight 0), got '" + o.on_failure + "'");
}

std::vector<std::uint32_t> failed_servers(const DisruptionOptions& o) {
  const auto n = static_cast<std::uint32_t>(*o.servers);
  if (!o.fail) {
    if (!o.failed.empty()) throw option_error("--failed", "only with --fail");
    return {};
  }
  if (o.failed.empty()) return draw_failed_servers(n, static_cast<std::uint32_t>(*o.fail), o.seed);
  if (o.failed.size() != static_cast<std::size_t>(*o.fail))
    throw option_error("--failed", "expected " + std::to_string(*o.fail) + " server numbers (as --fail), got " +
                                       std::to_string(o.failed.size()));
  std::vector<std::uint32_t> out;
  for (std::int64_t f : o.failed) {
    if (f < 1 || f > *o.servers) throw option_error("--failed", "server " + std::to_string(f) + " is not in 1..N");
    if (std::find(out.begin(), out.end(), f - 1) != out.end()) throw option_error("--failed", "server " + std::to_string(f) + " given twice");
    out.push_back(static_cast<std::uint32_t>(f - 1));
  }
  std::sort(out.begin(), out.end());
  return out;
}

DisruptionSpec spec_of(const DisruptionOptions& o) {
  check_counts(o);
  DisruptionSpec s;
  s.servers = static_cast<std::uint32_t>(*o.servers);
  s.change = o.fail ? ClusterChange::Fail : ClusterChange::Add;
  s.changed = static_cast<std::uint32_t>(o.fail ? *o.fail : *o.add);
  s.failure_mode = o.on_failure == "inhibit" ? FailureMode::Inhibit : FailureMode::Remove;
  s.failed = failed_servers(o);
  const std::size_t total = s.servers + (o.add ? s.changed : 0);
  if (!o.weights.empty() && o.weights.size() != total)
    throw option_error("--weights", "expected " + std::to_string(total) + " values (one per server, N" +
                                        std::string(o.add ? " + K" : "") + "), got " + std::to_string(o.weights.size()));
  for (std::size_t i = 0; i < o.weights.size(); ++i) {
    if (o.weights[i] < 1 || o.weights[i] > 65535)
      throw option_error("--weights", "value " + std::to_string(i + 1) + " is " + std::to_string(o.weights[i]) + ", expected 1..65535");
    s.weights.push_back(static_cast<std::int32_t>(o.weights[i]));
  }
  s.mh_table_size = checked_table_size(o.table_size);
  const bool mh = std::find(o.schedulers.begin(), o.schedulers.end(), "mh") != o.schedulers.end();
  if (mh && total > s.mh_table_size)  // ip_vs_mh_init_svc / ip_vs_mh_add_dest: -EINVAL
    throw option_error(o.add ? "--add" : "--servers", "mh's table of M = " + std::to_string(s.mh_table_size) + " slots takes at most " +
                                                          std::to_string(s.mh_table_size) + " servers (the kernel refuses more), not " +
                                                          std::to_string(total));
  s.ring_vnodes = o.vnodes;
  s.svc_flags = o.fallback ? svc_f_sched1 : 0;
  return s;
}

std::string fixed(double v, int digits = 4) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string pad(const std::string& s, std::size_t width) { return s.size() >= width ? s + ' ' : s + std::string(width - s.size(), ' '); }

/// "min..max" over the servers present in the state (a removed one has no entry or flow).
std::string range_of(const std::vector<std::uint64_t>& v, const std::vector<bool>& present) {
  std::uint64_t lo = UINT64_MAX;
  std::uint64_t hi = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!present[i]) continue;
    lo = std::min(lo, v[i]);
    hi = std::max(hi, v[i]);
  }
  return lo == UINT64_MAX ? "-" : std::to_string(lo) + ".." + std::to_string(hi);
}

std::string ideal(std::uint64_t total, std::size_t n) {
  return total == 0 || n == 0 ? "-" : std::to_string(total / n) + ".." + std::to_string((total + n - 1) / n);
}

std::string server_list(const std::vector<std::uint32_t>& servers) {
  std::string out;
  for (std::uint32_t s : servers) out.append(out.empty() ? "" : ",").append("rs" + std::to_string(s + 1));
  return out;
}

void print_header(std::ostream& out, const DisruptionSpec& s, const DisruptionOptions& o) {
  out << "lvslab disruption: " << s.servers << " servers, ";
  if (s.change == ClusterChange::Fail) {
    out << s.changed << " fail (" << server_list(s.failed) << ", "
        << (s.failure_mode == FailureMode::Remove ? "removed: keepalived's DELDEST, the default"
                                                  : "weight 0: keepalived's inhibit_on_failure")
        << ")";
  } else {
    out << s.changed << " added (rs" << s.servers + 1;
    if (s.changed > 1) out << "..rs" << s.servers + s.changed;
    out << ")";
  }
  out << "; " << o.flows << " flows from seed " << o.seed << (o.fallback ? "; sh-fallback/mh-fallback on" : "") << '\n';
  out << "sh, dh: 256 buckets (the kernel's 8-bit tables); mh: M = " << s.mh_table_size
      << (s.mh_table_size == MaglevTable::default_size ? " (the kernel default)" : "")
      << "; ring: " << s.ring_vnodes << " virtual nodes per server (consistent hashing, not a kernel scheduler)\n";
  const auto named = [&](const char* n) { return std::find(o.schedulers.begin(), o.schedulers.end(), n) != o.schedulers.end(); };
  if (o.table_size && (named("sh") || named("dh")))
    out << "note: --table-size sets mh's M only; sh and dh keep their 256 buckets (CONFIG_IP_VS_SH_TAB_BITS default 8, IP_VS_DH_TAB_BITS 8)\n";
}

void print_fractions(std::ostream& out, const std::vector<DisruptionResult>& rs) {
  out << "\nFlows moved, as a fraction of all flows\n"
      << "scheduler  no conn table  minimum  with conn table  unserved\n";
  for (const DisruptionResult& r : rs) {
    const double f = static_cast<double>(r.flows);
    out << pad(r.scheduler, 11) << pad(fixed(static_cast<double>(r.remapped) / f), 15) << pad(fixed(r.minimum), 9)
        << pad(fixed(static_cast<double>(r.on_failed) / f), 17) << fixed(static_cast<double>(r.unserved) / f) << '\n';
  }
}

bool equal_weights(const DisruptionSpec& s) {
  return std::adjacent_find(s.weights.begin(), s.weights.end(), std::not_equal_to<>()) == s.weights.end();
}

void print_balance(std::ostream& out, const std::vector<DisruptionResult>& rs, const DisruptionSpec& s) {
  const std::size_t total = rs.empty() ? 0 : rs.front().flows_before.size();
  std::vector<bool> before(total, false);
  std::vector<bool> after(total, true);
  for (std::uint32_t i = 0; i < s.servers; ++i) before[i] = true;
  for (std::uint32_t f : s.failed) after[f] = false;
  const std::size_t n_before = s.servers;
  const std::size_t n_after = s.change == ClusterChange::Add ? total : s.servers - s.changed;
  out << "\nBalance per server, before -> after (table entries min..max, the ideal floor..ceil of table/N for\n"
      << "equal weights, entries that changed server; flows min..max)\n"
      << "scheduler  table  entries                   ideal                     changed  flows\n";
  for (const DisruptionResult& r : rs) {
    const bool table = r.table_size > 0;
    out << pad(r.scheduler, 11) << pad(table ? std::to_string(r.table_size) : "-", 7)
        << pad(table ? range_of(r.entries_before, before) + " -> " + range_of(r.entries_after, after) : "-", 26)
        << pad(table && equal_weights(s) ? ideal(r.table_size, n_before) + " -> " + ideal(r.table_size, n_after) : "-", 26)
        << pad(table ? std::to_string(r.entries_changed) : "-", 9) << range_of(r.flows_before, before) << " -> "
        << range_of(r.flows_after, after) << '\n';
  }
}

nlohmann::json to_json(const DisruptionResult& r) {
  const double f = static_cast<double>(r.flows);
  return {{"scheduler", r.scheduler},
          {"kernel_scheduler", r.scheduler != "ring"},
          {"remapped_without_conn_table", static_cast<double>(r.remapped) / f},
          {"minimum", r.minimum},
          {"moved_with_conn_table", static_cast<double>(r.on_failed) / f},
          {"unserved_without_conn_table", static_cast<double>(r.unserved) / f},
          {"flows_remapped", r.remapped},
          {"flows_on_failed", r.on_failed},
          {"flows_unserved", r.unserved},
          {"table_size", r.table_size},
          {"entries_changed", r.entries_changed},
          {"entries_before", r.entries_before},
          {"entries_after", r.entries_after},
          {"flows_before", r.flows_before},
          {"flows_after", r.flows_after}};
}

nlohmann::json to_json(const DisruptionSpec& s, const DisruptionOptions& o, const std::vector<DisruptionResult>& rs) {
  std::vector<std::uint32_t> failed;
  for (std::uint32_t f : s.failed) failed.push_back(f + 1);
  nlohmann::json j{{"seed", o.seed},
                   {"flows", o.flows},
                   {"servers", s.servers},
                   {"change", s.change == ClusterChange::Fail ? "fail" : "add"},
                   {"changed", s.changed},
                   {"failed_servers", failed},
                   {"on_failure", o.on_failure},
                   {"fallback", o.fallback},
                   {"mh_table_size", s.mh_table_size},
                   {"sh_dh_buckets", 256},
                   {"ring_vnodes", s.ring_vnodes},
                   {"results", nlohmann::json::array()}};
  for (const DisruptionResult& r : rs) j["results"].push_back(to_json(r));
  return j;
}

void print_maglev_example(std::ostream& out) {
  const MaglevExample ex = maglev_paper_example();
  out << "Maglev paper, Table 1 (Eisenbud et al., NSDI 2016, section 3.4): M = " << ex.size << "\n"
      << "backend  offset  skip  permutation\n";
  for (std::size_t b = 0; b < ex.backends.size(); ++b) {
    out << "B" << b << "       " << ex.backends[b].perm << "       " << ex.backends[b].skip << "    ";
    for (std::uint32_t slot : maglev_preference_list(ex.backends[b], ex.size)) out << ' ' << slot;
    out << '\n';
  }
  out << "slot  before  after (B1 removed)\n";
  std::size_t changed = 0;
  for (std::uint32_t slot = 0; slot < ex.size; ++slot) {
    const bool moved = ex.before[slot] != ex.after[slot];
    changed += moved;
    out << slot << "     B" << ex.before[slot] << "      B" << ex.after[slot]
        << (moved ? (ex.before[slot] == 1 ? "  (was B1's)" : "  (moved between survivors)") : "") << '\n';
  }
  out << changed << " of " << ex.size << " slots changed\n";
}

}  // namespace

void run_disruption(const DisruptionOptions& o, std::ostream& out) {
  if (o.maglev_example) {
    print_maglev_example(out);
    return;
  }
  check_schedulers(o.schedulers);
  const DisruptionSpec spec = spec_of(o);
  if (o.json) check_output_file("--json", *o.json);
  const std::vector<SchedFlow> flows = disruption_flows(static_cast<std::uint64_t>(o.flows), o.seed);
  std::vector<DisruptionResult> results;
  for (const std::string& name : o.schedulers) results.push_back(measure_disruption(name, spec, flows));
  const bool json_only = o.json && *o.json == "-";
  if (!json_only) {
    print_header(out, spec, o);
    print_fractions(out, results);
    print_balance(out, results, spec);
  }
  if (o.json) {
    const std::string text = to_json(spec, o, results).dump(2) + '\n';
    if (json_only) {
      out << text;
    } else {
      write_file(*o.json, text);
    }
  }
}

}  // namespace lvs::cli
