// parse_mount_options: nfs(5)'s options for NFSv3 over TCP, their defaults, rounding and errors.

#include <catch2/catch.hpp>

#include "storage/nfs_mount.hpp"

using namespace lvs;
using namespace lvs::storage;

namespace {

NfsMountOptions parse_ok(const char* text) {
  const auto r = parse_mount_options(text);
  REQUIRE(std::holds_alternative<NfsMountOptions>(r));
  return std::get<NfsMountOptions>(r);
}

MountOptionError parse_error(const char* text) {
  const auto r = parse_mount_options(text);
  REQUIRE(std::holds_alternative<MountOptionError>(r));
  return std::get<MountOptionError>(r);
}

}  // namespace

TEST_CASE("mount options: the defaults are Linux's for TCP (nfs(5))", "[nfs][mount-options]") {
  const NfsMountOptions o = parse_ok("");
  CHECK(o.hard);
  CHECK(o.timeo == Time::s(60));
  CHECK(o.retrans == 2);
  CHECK(o.rsize == 1U << 20);
  CHECK(o.wsize == 1U << 20);
  CHECK(o.acregmin == Time::s(3));
  CHECK(o.acregmax == Time::s(60));
  CHECK(o.acdirmin == Time::s(30));
  CHECK(o.acdirmax == Time::s(60));
  CHECK(o.cto);
  CHECK_FALSE(o.noac);
}

TEST_CASE("mount options: timeo is in deciseconds", "[nfs][mount-options]") {
  CHECK(parse_ok("timeo=600").timeo == Time::s(60));
  CHECK(parse_ok("timeo=10").timeo == Time::s(1));
  CHECK(parse_ok("timeo=15").timeo == Time::ms(1500));
  CHECK(parse_ok("timeo=9000").timeo == Time::s(600));  // NFS_MAX_TCP_TIMEOUT
  CHECK(parse_ok("retrans=5").retrans == 5);
}

TEST_CASE("mount options: rsize and wsize rounding", "[nfs][mount-options]") {
  struct Row {
    const char* text;
    std::uint32_t rsize;
  };
  const Row row = GENERATE(Row{"rsize=1000", 4096}, Row{"rsize=1023", 4096}, Row{"rsize=1024", 1024},
                           Row{"rsize=32768", 32768}, Row{"rsize=33000", 32768}, Row{"rsize=65535", 64512},
                           Row{"rsize=1048576", 1048576}, Row{"rsize=4194304", 1048576}, Row{"rsize=0", 4096});
  CAPTURE(row.text);
  CHECK(parse_ok(row.text).rsize == row.rsize);
  std::string w = row.text;
  w[0] = 'w';
  CHECK(parse_ok(w.c_str()).wsize == row.rsize);
}

TEST_CASE("mount options: flags and the attribute cache", "[nfs][mount-options]") {
  const NfsMountOptions soft = parse_ok("soft,nocto");
  CHECK_FALSE(soft.hard);
  CHECK_FALSE(soft.cto);
  CHECK(parse_ok("soft,hard").hard);

  const NfsMountOptions a = parse_ok("actimeo=10");
  CHECK(a.acregmin == Time::s(10));
  CHECK(a.acregmax == Time::s(10));
  CHECK(a.acdirmin == Time::s(10));
  CHECK(a.acdirmax == Time::s(10));

  const NfsMountOptions b = parse_ok("acregmin=1,acregmax=2,acdirmin=3,acdirmax=4");
  CHECK(b.acregmin == Time::s(1));
  CHECK(b.acregmax == Time::s(2));
  CHECK(b.acdirmin == Time::s(3));
  CHECK(b.acdirmax == Time::s(4));

  const NfsMountOptions n = parse_ok("noac");
  CHECK(n.noac);
  CHECK(n.acregmin == Time::zero());
  CHECK(n.acregmax == Time::zero());
}

TEST_CASE("mount options: those that change nothing in the model are accepted", "[nfs][mount-options]") {
  const NfsMountOptions o = parse_ok(
      "defaults,rw,ro,vers=3,nfsvers=3,proto=tcp,tcp,intr,nointr,bg,fg,_netdev,noatime,nodiratime,relatime,"
      "sync,async,nolock,lock");
  CHECK(o.hard);
  CHECK(o.timeo == Time::s(60));
  // A typical web farm fstab line.
  const NfsMountOptions web = parse_ok("rw,hard,nfsvers=3,proto=tcp,timeo=600,retrans=2,rsize=1048576,nocto,_netdev");
  CHECK_FALSE(web.cto);
}

TEST_CASE("mount options: errors name the option and what was expected", "[nfs][mount-options]") {
  struct Row {
    const char* text;
    const char* option;
    const char* expected;
  };
  const Row row = GENERATE(Row{"vers=4", "vers=4", "vers=3 (the model is NFSv3)"},
                           Row{"nfsvers=4.1", "nfsvers=4.1", "vers=3 (the model is NFSv3)"},
                           Row{"udp", "udp", "tcp (the model is NFS over TCP)"},
                           Row{"proto=udp", "proto=udp", "proto=tcp (the model is NFS over TCP)"},
                           Row{"hard,bogus", "bogus", "an NFSv3-over-TCP mount option (nfs(5))"},
                           Row{"timeo=abc", "timeo=abc", "timeo=N with N a whole number"},
                           Row{"timeo=", "timeo=", "timeo=N with N a whole number"},
                           Row{"timeo=0", "timeo=0", "timeo=N deciseconds, N >= 1"},
                           Row{"rsize=-1", "rsize=-1", "rsize=N with N a whole number"},
                           Row{"actimeo=1.5", "actimeo=1.5", "actimeo=N with N a whole number"});
  CAPTURE(row.text);
  const MountOptionError e = parse_error(row.text);
  CHECK(e.option == row.option);
  CHECK(e.expected == row.expected);
}
