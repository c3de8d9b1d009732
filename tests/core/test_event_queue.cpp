#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/event_queue.hpp"
#include "core/rng.hpp"

using namespace lvs;
using namespace lvs::literals;

namespace {

// Pops every event up to `limit`, running each; returns how many ran.
int drain(EventQueue& q, Time limit = Time::max()) {
  Time t;
  EventFn fn;
  int n = 0;
  while (q.pop(limit, t, fn)) {
    fn();
    ++n;
  }
  return n;
}


// An EventQueue driven beside a reference, a std::map keyed by (time, push order): every pop
// is compared with the reference's first entry. Not to be moved once used (the events it
// pushes point at last_run).
struct CheckedQueue {
  using Entry = std::pair<std::int64_t, std::uint64_t>;
  EventQueue q;
  std::map<Entry, EventId> model;
  std::uint64_t pushed = 0;
  std::uint64_t last_run = 0;
  std::int64_t now = 0;

  std::pair<EventId, Entry> push(std::int64_t t) {
    const std::uint64_t tag = pushed++;
    const EventId id = q.push(Time::ns(t), [this, tag] { last_run = tag; });
    model.emplace(Entry{t, tag}, id);
    return {id, Entry{t, tag}};
  }
  void cancel(const std::pair<EventId, Entry>& handle) {
    CHECK(q.cancel(handle.first) == (model.erase(handle.second) == 1));
  }
  // Pops the next event if due by `limit` from both, comparing; true if one ran.
  bool pop_and_compare(Time limit) {
    Time t;
    EventFn fn;
    const bool due = !model.empty() && model.begin()->first.first <= limit.count();
    REQUIRE(q.pop(limit, t, fn) == due);
    if (!due) return false;
    fn();
    CHECK(t.count() == model.begin()->first.first);
    CHECK(last_run == model.begin()->first.second);
    now = t.count();
    model.erase(model.begin());
    return true;
  }
  void check_next_time() {
    CHECK(q.next_time().count() == (model.empty() ? Time::max().count() : model.begin()->first.first));
  }
};

}  // namespace

TEST_CASE("events pop in time order and equal times first-in first-out", "[event_queue]") {
  EventQueue q;
  std::vector<int> order;
  q.push(30_us, [&] { order.push_back(3); });
  for (int i = 10; i < 20; ++i) q.push(20_us, [&order, i] { order.push_back(i); });
  q.push(10_us, [&] { order.push_back(1); });
  q.push(0_ns, [&] { order.push_back(0); });
  CHECK(q.size() == 13);
  CHECK(drain(q) == 13);
  CHECK(order == std::vector<int>{0, 1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 3});
  CHECK(q.empty());
}

TEST_CASE("pop honours its limit and leaves later events in place", "[event_queue]") {
  EventQueue q;
  int ran = 0;
  q.push(5_ms, [&] { ++ran; });
  q.push(10_ms, [&] { ++ran; });
  q.push(20_ms, [&] { ++ran; });
  CHECK(drain(q, 10_ms) == 2);  // the boundary is inclusive
  CHECK(q.next_time() == 20_ms);
  // Peeking at 20ms must not stop an event going in between the limit and it.
  q.push(15_ms, [&] { ran += 100; });
  CHECK(q.next_time() == 15_ms);
  CHECK(drain(q) == 2);
  CHECK(ran == 103);
}

namespace {
// A callable whose copy throws on demand: the queue must be left as it was.
struct ThrowingCopy {
  bool* throw_on_copy;
  int* ran;
  ThrowingCopy(bool* t, int* r) : throw_on_copy(t), ran(r) {}
  ThrowingCopy(const ThrowingCopy& o) : throw_on_copy(o.throw_on_copy), ran(o.ran) {
    if (*throw_on_copy) throw std::runtime_error("copy");
  }
  void operator()() const { ++*ran; }
};
}  // namespace

TEST_CASE("push builds the callable in its slot, and a throwing copy leaves the queue unchanged", "[event_queue]") {
  EventQueue q;
  bool throw_on_copy = false;
  int ran = 0;
  const ThrowingCopy f(&throw_on_copy, &ran);
  const EventId first = q.push(1_us, f);  // copied, may throw: built first, then moved in
  throw_on_copy = true;
  CHECK_THROWS_AS(q.push(2_us, f), std::runtime_error);
  CHECK(q.size() == 1);
  CHECK(q.keys_held() == 1);
  throw_on_copy = false;
  EventFn moved([&ran] { ran += 10; });
  const EventId second = q.push(3_us, std::move(moved));  // an EventFn is moved in
  CHECK_FALSE(moved);
  CHECK(second.slot != first.slot);
  CHECK(second.seq == first.seq + 1);  // the failed push took no sequence number
  CHECK(q.size() == 2);
  CHECK(drain(q) == 2);
  CHECK(ran == 11);
}

TEST_CASE("cancellation: of the head, of others, twice, and after the event ran", "[event_queue]") {
  EventQueue q;
  std::vector<int> order;
  const EventId head = q.push(1_us, [&] { order.push_back(1); });
  const EventId mid = q.push(2_us, [&] { order.push_back(2); });
  const EventId tail = q.push(3_us, [&] { order.push_back(3); });
  CHECK(q.pending(head));
  CHECK(q.cancel(head));
  CHECK_FALSE(q.pending(head));
  CHECK_FALSE(q.cancel(head));  // twice
  CHECK(q.size() == 2);
  CHECK(q.next_time() == 2_us);
  CHECK(q.cancel(tail));
  CHECK(drain(q) == 1);
  CHECK(order == std::vector<int>{2});
  CHECK_FALSE(q.pending(mid));
  CHECK_FALSE(q.cancel(mid));  // after it ran
  CHECK_FALSE(q.cancel(EventId{}));
  // A reused slot does not revive an old id.
  const EventId fresh = q.push(4_us, [] {});
  CHECK((fresh.slot == tail.slot || fresh.slot == mid.slot || fresh.slot == head.slot));
  CHECK_FALSE(q.cancel(mid));
  CHECK_FALSE(q.cancel(head));
  CHECK(q.pending(fresh));
}

TEST_CASE("cancelled events do not pile up", "[event_queue]") {
  EventQueue q;
  std::vector<EventId> ids;
  for (int i = 0; i < 10'000; ++i) ids.push_back(q.push(Time::us(i), [] {}));
  for (int i = 0; i < 10'000; ++i)
    if (i % 10 != 0) q.cancel(ids[static_cast<std::size_t>(i)]);
  CHECK(q.size() == 1'000);
  CHECK(q.keys_held() <= 2 * q.size() + 65);
  CHECK(drain(q) == 1'000);
}

TEST_CASE("scheduling before the last event taken out is refused", "[event_queue]") {
  EventQueue q;
  q.push(10_ms, [] {});
  drain(q);
  CHECK_THROWS_AS(q.push(9_ms, [] {}), std::logic_error);
  CHECK_NOTHROW(q.push(10_ms, [] {}));
}

TEST_CASE("the queue matches a reference model over random pushes, cancels and pops", "[event_queue]") {
  // Reference: a std::set ordered by (time, push order). Every operation on both,
  // every popped event compared.
  const std::uint64_t seed = GENERATE(1, 2, 3);
  Rng rng(seed);
  EventQueue q;
  std::set<std::pair<std::int64_t, std::uint64_t>> model;
  std::vector<std::pair<EventId, std::pair<std::int64_t, std::uint64_t>>> handles;
  std::uint64_t pushed = 0;
  std::int64_t now = 0;
  std::uint64_t last_run = 0;
  for (int op = 0; op < 200'000; ++op) {
    const std::uint64_t r = rng.below(10);
    if (r < 5) {  // push, often at equal times
      const std::int64_t t = now + static_cast<std::int64_t>(rng.below(4) == 0 ? 0 : rng.below(1'000'000));
      const std::uint64_t tag = pushed++;
      const EventId id = q.push(Time::ns(t), [&last_run, tag] { last_run = tag; });
      model.insert({t, tag});
      handles.push_back({id, {t, tag}});
    } else if (r < 7 && !handles.empty()) {  // cancel a random earlier handle
      auto& [id, key] = handles[rng.below(handles.size())];
      CHECK(q.cancel(id) == (model.erase(key) == 1));
    } else {  // pop with a random limit
      const Time limit = Time::ns(now + static_cast<std::int64_t>(rng.below(2'000'000)));
      Time t;
      EventFn fn;
      const bool popped = q.pop(limit, t, fn);
      const bool due = !model.empty() && model.begin()->first <= limit.count();
      REQUIRE(popped == due);
      if (popped) {
        fn();
        CHECK(t.count() == model.begin()->first);
        CHECK(last_run == model.begin()->second);
        now = t.count();
        model.erase(model.begin());
      }
    }
    REQUIRE(q.size() == model.size());
  }
}

TEST_CASE("a time reached again keeps push order across cancels and late pushes", "[event_queue]") {
  // By hand: A@5 B@7 C@5 D@7 E@6. After A runs, F is pushed at 5 (the current time): it
  // comes after C, pushed earlier at 5. C is cancelled, then G is pushed at 7: after B, D.
  EventQueue q;
  std::string order;
  auto tag = [&order](char c) { return [&order, c] { order += c; }; };
  q.push(5_ns, tag('A'));
  q.push(7_ns, tag('B'));
  const EventId c = q.push(5_ns, tag('C'));
  q.push(7_ns, tag('D'));
  q.push(6_ns, tag('E'));
  CHECK(drain(q, 4_ns) == 0);
  Time t;
  EventFn fn;
  REQUIRE(q.pop(Time::max(), t, fn));
  fn();
  CHECK(t == 5_ns);
  q.push(5_ns, tag('F'));
  CHECK(q.cancel(c));
  CHECK(q.next_time() == 5_ns);
  q.push(7_ns, tag('G'));
  CHECK(drain(q) == 5);
  CHECK(order == "AFEBDG");
}

TEST_CASE("pop order matches a reference on bursts of equal times with cancels and interleaved pushes",
          "[event_queue]") {
  // Reference: a std::map keyed by (time, push order). Times come from a handful of values a few
  // nanoseconds and a few powers of two apart, so most events tie with hundreds of others;
  // each pop is followed by pushes at the current time and just after it and by cancels
  // (often of the event about to run). Every popped event, and next_time() now and then, is
  // compared.
  const std::uint64_t seed = GENERATE(11, 12, 13, 14);
  Rng rng(seed);
  EventQueue q;
  std::map<std::pair<std::int64_t, std::uint64_t>, EventId> model;  // pending, in run order
  std::vector<std::pair<EventId, std::pair<std::int64_t, std::uint64_t>>> handles;
  std::uint64_t pushed = 0;
  std::uint64_t last_run = 0;
  auto push = [&](std::int64_t t) {
    const std::uint64_t tag = pushed++;
    const EventId id = q.push(Time::ns(t), [&last_run, tag] { last_run = tag; });
    handles.push_back({id, {t, tag}});
    model.emplace(std::pair{t, tag}, id);
  };
  const std::int64_t offsets[] = {0, 1, 2, 3, 1024, 1025, 1 << 20, (1 << 20) + 1};
  for (int i = 0; i < 3000; ++i) push(-5000 + offsets[rng.below(8)]);
  for (int step = 0; step < 20'000 && !model.empty(); ++step) {
    const std::uint64_t r = rng.below(8);
    if (r == 0) {  // cancel the next event to run
      CHECK(q.cancel(model.begin()->second));
      model.erase(model.begin());
    } else if (r == 1) {  // cancel a random one, perhaps already gone
      auto& [id, key] = handles[rng.below(handles.size())];
      CHECK(q.cancel(id) == (model.erase(key) == 1));
    }
    if (r == 2 && !model.empty()) CHECK(q.next_time().count() == model.begin()->first.first);
    Time t;
    EventFn fn;
    REQUIRE(q.pop(Time::max(), t, fn) == !model.empty());
    if (model.empty()) break;
    fn();
    CHECK(t.count() == model.begin()->first.first);
    CHECK(last_run == model.begin()->first.second);
    model.erase(model.begin());
    for (std::uint64_t n = rng.below(3); n > 0; --n) push(t.count() + offsets[rng.below(3)]);
    REQUIRE(q.size() == model.size());
  }
  CHECK(pushed > 3000);
}

TEST_CASE("keys either side of 4-bit digit boundaries keep time and push order", "[event_queue]") {
  // By hand: A@16 B@15 C@16 D@256 E@17 F@255. B runs first (last time 15: A, C, E differ from
  // it in digit 1, F and D in digit 2); then G is pushed at 16, after A and C.
  EventQueue q;
  std::string order;
  auto tag = [&order](char c) { return [&order, c] { order += c; }; };
  q.push(16_ns, tag('A'));
  q.push(15_ns, tag('B'));
  q.push(16_ns, tag('C'));
  q.push(256_ns, tag('D'));
  q.push(17_ns, tag('E'));
  q.push(255_ns, tag('F'));
  CHECK(drain(q, 15_ns) == 1);
  q.push(16_ns, tag('G'));
  CHECK(q.next_time() == 16_ns);
  CHECK(drain(q) == 6);
  CHECK(order == "BACGEFD");
}

TEST_CASE("a big bucket of cancelled far timers is dropped without disturbing the live ones", "[event_queue]") {
  // 10 000 timers 64 s ahead, 1 ms apart; nine in ten are cancelled, twice over for some
  // (restarted, then cancelled again), as a connection's expiry is restarted by its packets.
  EventQueue q;
  std::vector<EventId> ids;
  std::vector<int> ran;
  const std::int64_t far = std::int64_t{1} << 36;
  for (int i = 0; i < 10'000; ++i)
    ids.push_back(q.push(Time::ns(far + i * std::int64_t{1'000'000}), [&ran, i] { ran.push_back(i); }));
  for (int i = 0; i < 10'000; ++i)
    if (i % 10 != 0) {
      CHECK(q.cancel(ids[static_cast<std::size_t>(i)]));
      if (i % 10 == 5) {
        const EventId again = q.push(Time::ns(far + i * std::int64_t{1'000'000} + 1), [&ran, i] { ran.push_back(-i); });
        CHECK(q.cancel(again));
      }
    }
  CHECK(q.size() == 1'000);
  CHECK(q.keys_held() <= 2 * q.size() + 65);
  CHECK(drain(q) == 1'000);
  REQUIRE(ran.size() == 1'000);
  for (std::size_t j = 0; j < ran.size(); ++j) CHECK(ran[j] == static_cast<int>(10 * j));
  CHECK(q.keys_held() == 0);
}

TEST_CASE("a cancelled key whose slot tag matches again is still recognised as stale", "[event_queue]") {
  // X is cancelled; its slot is then reused 256 times, so the slot's tag (the low byte of its
  // event's sequence number) equals X's again while the 256th event is pending. X is the
  // earliest key of a big bucket: the tag screen keeps it, the exact check must drop it.
  EventQueue q;
  std::vector<int> ran;
  const std::int64_t far = std::int64_t{1} << 36;
  const EventId x = q.push(Time::ns(far), [&ran] { ran.push_back(-1); });
  CHECK(q.cancel(x));
  Time t;
  EventFn fn;
  EventId reuse;
  for (int i = 1; i <= 256; ++i) {
    reuse = q.push(Time::ns(i), [&ran] { ran.push_back(0); });
    CHECK(reuse.slot == x.slot);
    if (i < 256) {
      REQUIRE(q.pop(Time::max(), t, fn));
      CHECK(t == Time::ns(i));
    }
  }
  ran.clear();
  for (int i = 1; i <= 1000; ++i) q.push(Time::ns(far + i), [&ran, i] { ran.push_back(i); });
  CHECK(q.pending(reuse));
  CHECK(q.next_time() == 256_ns);
  CHECK(drain(q) == 1001);
  REQUIRE(ran.size() == 1001);
  CHECK(ran[0] == 0);  // the 256th reuse, at 256 ns
  for (std::size_t j = 1; j < ran.size(); ++j) CHECK(ran[j] == static_cast<int>(j));
}

TEST_CASE("the queue matches a reference over near events, far timers, boundaries and cancels", "[event_queue]") {
  // A cluster's mix: near events (0..5 us ahead, a quarter at the current time), 3000 far
  // timers (up to 2^36 ns ahead) restarted at random (cancel, push again), pushes exactly at
  // and either side of the next multiple of 2^s (a digit boundary), cancels of anything, pops
  // with near and unbounded limits, next_time. Time starts negative and crosses zero. Every
  // popped event is compared with the reference.
  const std::uint64_t seed = GENERATE(21, 22, 23, 24);
  Rng rng(seed);
  CheckedQueue c;
  c.now = -(std::int64_t{1} << 33);
  std::vector<std::pair<EventId, CheckedQueue::Entry>> handles;
  std::vector<std::pair<EventId, CheckedQueue::Entry>> far_timers(3000);
  auto far = [&] { return c.now + static_cast<std::int64_t>(rng.below(std::uint64_t{1} << (20 + rng.below(17)))); };
  for (auto& timer : far_timers) timer = c.push(far());
  for (int op = 0; op < 150'000; ++op) {
    const std::uint64_t r = rng.below(16);
    if (r < 5) {
      handles.push_back(c.push(c.now + static_cast<std::int64_t>(rng.below(4) == 0 ? 0 : rng.below(5000))));
    } else if (r == 5) {
      const std::int64_t mask = (std::int64_t{1} << (4 + rng.below(36))) - 1;
      handles.push_back(c.push(std::max(c.now, (c.now | mask) + 1 + static_cast<std::int64_t>(rng.below(3)) - 1)));
    } else if (r < 8) {  // restart a far timer
      auto& timer = far_timers[rng.below(far_timers.size())];
      c.cancel(timer);
      timer = c.push(far());
    } else if (r == 8 && !handles.empty()) {
      c.cancel(handles[rng.below(handles.size())]);
    } else if (r < 14) {
      const Time limit = rng.below(8) == 0 ? Time::max() : Time::ns(c.now + static_cast<std::int64_t>(rng.below(10'000)));
      c.pop_and_compare(limit);
    } else if (r == 14) {  // a quiet spell: time runs on up to 2^33 ns, through far timers
      const Time limit = Time::ns(c.now + static_cast<std::int64_t>(rng.below(std::uint64_t{1} << (10 + rng.below(24)))));
      while (c.pop_and_compare(limit)) {
      }
    } else {
      c.check_next_time();
    }
    REQUIRE(c.q.size() == c.model.size());
    REQUIRE(c.q.keys_held() <= 2 * c.q.size() + 65);
  }
  CHECK(c.now > 0);
}

TEST_CASE("the wheel in front keeps time and push order: crowded slots, its edge, laps, cancels", "[event_queue]") {
  // The wheel holds keys less than 4096 slots of 1 024 ns ahead of the last time taken out,
  // at most 8 a slot; the rest go to the buckets. Bursts of 30 keys in one slot in falling
  // and equal times (the slot fills, the rest overflow), keys either side of the wheel's edge
  // (4096 slots ahead of the current slot's start), runs of time over several laps, cancels,
  // next_time; every popped event compared with the reference.
  constexpr std::int64_t kSlot = 1024, kWheel = 4096 * kSlot;
  const std::uint64_t seed = GENERATE(31, 32, 33);
  Rng rng(seed);
  CheckedQueue c;
  std::vector<std::pair<EventId, CheckedQueue::Entry>> handles;
  for (int round = 0; round < 3000; ++round) {
    const std::int64_t slot_start = c.now - c.now % kSlot;
    switch (rng.below(5)) {
      case 0: {  // a burst in one slot, falling times, some equal
        const std::int64_t at = slot_start + kSlot * static_cast<std::int64_t>(rng.below(4096));
        for (int i = 30; i > 0; --i) handles.push_back(c.push(std::max(c.now, at + (i % 3 == 0 ? 0 : i * 30))));
        break;
      }
      case 1:  // either side of the wheel's edge
        for (std::int64_t d : {-kSlot, std::int64_t{-1}, std::int64_t{0}, std::int64_t{1}, kSlot})
          handles.push_back(c.push(std::max(c.now, slot_start + kWheel + d)));
        break;
      case 2:  // cancels, some of them of keys already run
        for (int i = 0; i < 20 && !handles.empty(); ++i) c.cancel(handles[rng.below(handles.size())]);
        break;
      case 3:  // time runs on, up to three laps
        for (const Time limit = Time::ns(c.now + static_cast<std::int64_t>(rng.below(3 * kWheel)));
             c.pop_and_compare(limit);) {
        }
        break;
      default:
        c.check_next_time();
        for (int i = 0; i < 10; ++i) c.pop_and_compare(Time::max());
    }
    REQUIRE(c.q.size() == c.model.size());
    REQUIRE(c.q.keys_held() <= 2 * c.q.size() + 65);
  }
  while (c.pop_and_compare(Time::max())) {
  }
  CHECK(c.q.empty());
}
