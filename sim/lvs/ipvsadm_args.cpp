#include "lvs/ipvsadm_args.hpp"

#include <sstream>
#include <stdexcept>
#include <vector>

namespace lvs {

namespace {

enum class Cmd : std::uint8_t { None, List, Save };

// ipvsadm's OPT_* bits that a listing may carry, named as its optnames[] names them, in
// the same order (generic_opt_check walks them in this order).
enum Opt : unsigned {
  kNumeric = 1U << 0, kConnection = 1U << 1, kTimeout = 1U << 2, kStats = 1U << 3, kRate = 1U << 4,
  kThresholds = 1U << 5, kPersistentConn = 1U << 6, kExact = 1U << 7,
};
constexpr const char* kOptNames[] = {"numeric", "connection", "timeout", "stats", "rate",
                                     "thresholds", "persistent-conn", "exact"};

const char* opt_name(unsigned opt) {
  int i = 0;
  while ((opt >>= 1) != 0) ++i;
  return kOptNames[i];
}

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument(what); }

struct Parsed {
  Cmd cmd = Cmd::None;
  unsigned opts = 0;
};

void set_command(Parsed& p, Cmd c) {
  if (p.cmd != Cmd::None) fail("multiple commands specified");  // set_command
  p.cmd = c;
}

void set_option(Parsed& p, unsigned opt) {
  if ((p.opts & opt) != 0) fail(std::string("multiple '") + opt_name(opt) + "' options specified");  // set_option
  p.opts |= opt;
}

// The commands and options ipvsadm has that lvslab does not answer, with the reason.
void refuse(const std::string& option) {
  static const std::string kChange = "changes the table; --ipvsadm only lists (-L) and saves (-S): "
                                     "change the scenario's services (or its events) instead";
  for (const char* c : {"-A", "--add-service", "-E", "--edit-service", "-D", "--delete-service", "-C", "--clear",
                        "-R", "--restore", "-a", "--add-server", "-e", "--edit-server", "-d", "--delete-server",
                        "-Z", "--zero", "--set", "--start-daemon", "--stop-daemon"})
    if (option == c) fail("ipvsadm " + option + " " + kChange);
  if (option == "--daemon") fail("--daemon: not modelled (lvslab's directors run no sync daemon)");
  if (option == "--nosort") fail("--nosort: not modelled (the listings are sorted, as ipvsadm's default)");
  for (const char* c : {"-t", "--tcp-service", "-u", "--udp-service", "-f", "--fwmark-service"})
    if (option == c) fail(option + ": listing one service is not modelled; list them all (-Ln)");
  fail("unknown or unmodelled ipvsadm option '" + option + "'; lvslab answers -L/-l, -S, -n, -c, --stats, "
       "--rate, --exact, --thresholds, --persistent-conn, --timeout");
}

void long_option(Parsed& p, const std::string& name) {
  if (name == "--list") return set_command(p, Cmd::List);
  if (name == "--save") return set_command(p, Cmd::Save);
  if (name == "--sort") return;  // a no-op kept for compatibility (TAG_SORT)
  static const std::pair<const char*, unsigned> kLong[] = {
      {"--numeric", kNumeric}, {"--connection", kConnection}, {"--timeout", kTimeout}, {"--stats", kStats},
      {"--rate", kRate}, {"--thresholds", kThresholds}, {"--persistent-conn", kPersistentConn}, {"--exact", kExact}};
  for (const auto& [n, opt] : kLong)
    if (name == n) return set_option(p, opt);
  refuse(name);
}

void short_options(Parsed& p, const std::string& cluster) {
  for (std::size_t i = 1; i < cluster.size(); ++i) {
    switch (cluster[i]) {
      case 'L': case 'l': set_command(p, Cmd::List); break;
      case 'S': set_command(p, Cmd::Save); break;
      case 'n': set_option(p, kNumeric); break;
      case 'c': set_option(p, kConnection); break;
      case 'X': set_option(p, kExact); break;
      default: refuse(std::string("-") + cluster[i]);
    }
  }
}

// generic_opt_check, row LIST: -c and --timeout are exclusive ('1'); then process_options:
// -c or --timeout with --stats, --persistent-conn, --rate or --thresholds conflict.
void check_list(unsigned opts) {
  if ((opts & kConnection) && (opts & kTimeout))
    fail("The option 'timeout' conflicts with the 'connection' option in the 'list' command");
  if ((opts & (kConnection | kTimeout)) && (opts & (kStats | kPersistentConn | kRate | kThresholds)))
    fail("options conflicts in the list command");
  if (!(opts & kNumeric) && !(opts & kTimeout))
    fail("-L without -n resolves names (DNS, /etc/services); lvslab prints numeric addresses only: add -n");
}

// generic_opt_check, row SAVE: every option but -n is illegal ('x').
void check_save(unsigned opts) {
  for (unsigned opt = kConnection; opt <= kExact; opt <<= 1)
    if (opts & opt) fail(std::string("Illegal '") + opt_name(opt) + "' option with the 'save' command");
  if (!(opts & kNumeric))
    fail("-S without -n resolves names (DNS, /etc/services); lvslab prints numeric addresses only: add -n");
}

// print_title and print_service_entry test the flags in this order: stats, rate,
// thresholds, persistent-conn.
IpvsadmView list_view(unsigned opts) {
  if (opts & kConnection) return IpvsadmView::Connections;
  if (opts & kTimeout) return IpvsadmView::Timeout;
  if (opts & kStats) return IpvsadmView::Stats;
  if (opts & kRate) return IpvsadmView::Rate;
  if (opts & kThresholds) return IpvsadmView::Thresholds;
  if (opts & kPersistentConn) return IpvsadmView::PersistentConn;
  return IpvsadmView::List;
}

}  // namespace

IpvsadmCommand parse_ipvsadm_args(std::string_view args) {
  Parsed p;
  std::istringstream in{std::string(args)};
  for (std::string word; in >> word;) {
    if (word.rfind("--", 0) == 0) long_option(p, word);
    else if (word.size() > 1 && word[0] == '-') short_options(p, word);
    else fail("unexpected argument " + word);  // ipvsadm's words for a stray argument
  }
  IpvsadmCommand c;
  c.args = std::string(args);
  c.exact = (p.opts & kExact) != 0;
  switch (p.cmd) {
    case Cmd::None: fail("no command: give -L (list) or -S (save), e.g. \"-Ln\"");
    case Cmd::Save: check_save(p.opts); c.view = IpvsadmView::Save; break;
    case Cmd::List: check_list(p.opts); c.view = list_view(p.opts); break;
  }
  return c;
}

}  // namespace lvs
