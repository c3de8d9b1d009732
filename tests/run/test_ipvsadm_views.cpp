// lvslab run --ipvsadm: views taken during a run, at the right moments, without changing it.

#include <catch2/catch.hpp>

#include <sstream>

#include "run/run.hpp"
#include "run_fixture.hpp"

using namespace lvs;
using namespace lvs::run;
using namespace lvs::test;

namespace {

RunOptions views(const std::vector<std::string>& args, std::vector<Time> at) {
  RunOptions o;
  for (const std::string& a : args) o.ipvsadm.push_back({"", parse_ipvsadm_args(a)});
  o.ipvsadm_at = std::move(at);
  return o;
}

// Whitespace-separated words of `line`.
std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

TEST_CASE("run with ipvsadm -Ln --rate: at 2 s it is the first estimator tick on the counters of that moment", "[run][ipvsadm]") {
  const scenario::ScenarioSpec spec = scenario_file("nat-basic", {"duration=5s"});
  const RunResult plain = run_scenario(spec, RunOptions{});
  const RunResult r = run_scenario(spec, views({"-Ln --stats --exact", "-Ln --rate"}, {Time::s(4), Time::s(2)}));
  CHECK(r.fingerprint == plain.fingerprint);  // the views schedule nothing
  CHECK(r.directors.front().ipvsadm_stats == plain.directors.front().ipvsadm_stats);
  REQUIRE(r.ipvsadm.size() == 4);
  CHECK(r.ipvsadm[0].at_s == 2.0);
  CHECK(r.ipvsadm[0].args == "-Ln --stats --exact");
  CHECK(r.ipvsadm[1].args == "-Ln --rate");
  CHECK(r.ipvsadm[3].at_s == 4.0);
  CHECK(r.ipvsadm[0].director == "director");
  CHECK(r.ipvsadm[0].text ==
        "IP Virtual Server version 1.2.1 (size=4096)\n"
        "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
        "  -> RemoteAddress:Port\n"
        "TCP  192.168.74.129:80                 995     7910     9327   717780 10396125\n"
        "  -> 192.168.10.102:80                 497     3922     4613   357020  5115032\n"
        "  -> 192.168.10.103:80                 498     3988     4714   360760  5281093\n");
  // One tick from zero: avg = (n << 9) >> 2 = 128 n for counts, (n << 4) >> 2 = 4 n for bytes;
  // read (avg + 511) >> 10 and (avg + 15) >> 5. Service: 995 -> 124, 7910 -> 989, 9327 -> 1166,
  // 717780 -> 89722, 10396125 -> 1299516. rs1: 497 -> 62, 3922 -> 490, 4613 -> 577, 357020 ->
  // 44627, 5115032 -> 639379. rs2: 498 -> 62, 3988 -> 498, 4714 -> 589, 360760 -> 45095,
  // 5281093 -> 660137.
  CHECK(r.ipvsadm[1].text ==
        "IP Virtual Server version 1.2.1 (size=4096)\n"
        "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
        "  -> RemoteAddress:Port\n"
        "TCP  192.168.74.129:80                 124      989     1166    89722  1299516\n"
        "  -> 192.168.10.102:80                  62      490      577    44627   639379\n"
        "  -> 192.168.10.103:80                  62      498      589    45095   660137\n");
  // Second tick: 995 -> 2026 conns, 127360 + ((1031 << 9) - 127360) >> 2 = 227488 -> 222.
  CHECK(words(r.ipvsadm[3].text.substr(r.ipvsadm[3].text.find("TCP"))).at(2) == "222");
}

TEST_CASE("run with ipvsadm -Lnc: one NONE template per persistent client, as --persistent-conn counts them", "[run][ipvsadm]") {
  const scenario::ScenarioSpec spec = scenario_file("persistence-drain", {});
  const RunResult r = run_scenario(spec, views({"-Lnc", "-Ln --persistent-conn"}, {Time::s(5)}));
  REQUIRE(r.ipvsadm.size() == 2);
  std::istringstream conns(r.ipvsadm[0].text), persist(r.ipvsadm[1].text);
  int templates = 0, persistconns = 0;
  for (std::string line; std::getline(conns, line);)
    if (words(line).size() == 6 && words(line)[2] == "NONE") {
      ++templates;
      CHECK(words(line)[3].ends_with(":0"));  // a template's cport is 0
    }
  for (std::string line; std::getline(persist, line);)
    if (line.rfind("  -> ", 0) == 0 && words(line).size() == 6) persistconns += std::stoi(words(line)[3]);
  CHECK(templates > 0);
  CHECK(templates == persistconns);
}

TEST_CASE("run with ipvsadm: the requests are checked before the run", "[run][ipvsadm]") {
  const scenario::ScenarioSpec spec = scenario_file("nat-basic", {"duration=5s"});
  RunOptions late = views({"-Ln"}, {Time::s(6)});
  CHECK_THROWS_WITH(run_scenario(spec, late), "--at 6 s: expected a time in (0, 5 s], the run's length");
  RunOptions nobody = views({"-Ln"}, {});
  nobody.ipvsadm[0].director = "nobody";
  CHECK_THROWS_WITH(run_scenario(spec, nobody), "--director: no director called 'nobody'; the scenario has: director");
}
