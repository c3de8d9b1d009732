#pragma once
// A move-only `void()` callable stored inline: scheduling an event never allocates.

#include <concepts>
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace lvs {

class EventFn {
 public:
  /// Bytes of captured state an event callable may hold.
  static constexpr std::size_t kCapacity = 48;

  EventFn() = default;

  template <class F>
    requires(!std::same_as<std::decay_t<F>, EventFn> && std::invocable<std::decay_t<F>&>)
  EventFn(F&& f) {  // NOLINT(google-explicit-constructor): lambdas convert implicitly
    construct(std::forward<F>(f));
  }

  EventFn(EventFn&& other) noexcept { take(other); }
  EventFn& operator=(EventFn&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  EventFn(const EventFn&) = delete;
  EventFn& operator=(const EventFn&) = delete;
  ~EventFn() { reset(); }

  /// Stores `f` (a callable or another EventFn, moved from) in this EventFn, which must be
  /// empty: the event queue builds an event's callable in its slot, with no temporary.
  template <class F>
  void emplace(F&& f) {
    if constexpr (std::same_as<std::decay_t<F>, EventFn>)
      take(f);
    else
      construct(std::forward<F>(f));
  }

  /// Calls the stored callable; it must hold one.
  void operator()() { ops_->invoke(buf_); }
  explicit operator bool() const { return ops_ != nullptr; }

  /// Destroys the stored callable, if any.
  void reset() {
    if (ops_ != nullptr && ops_->destroy != nullptr) ops_->destroy(buf_);
    ops_ = nullptr;
  }

 private:
  struct Ops {
    void (*invoke)(void*);
    void (*relocate)(void* dst, void* src);  // nullptr: trivially copyable, memcpy will do
    void (*destroy)(void*);                  // nullptr: trivially destructible
  };

  template <class Fn>
  static constexpr Ops kOps{
      [](void* p) { (*static_cast<Fn*>(p))(); },
      std::is_trivially_copyable_v<Fn> ? nullptr
                                       : +[](void* dst, void* src) {
                                           ::new (dst) Fn(std::move(*static_cast<Fn*>(src)));
                                           static_cast<Fn*>(src)->~Fn();
                                         },
      std::is_trivially_destructible_v<Fn> ? nullptr : +[](void* p) { static_cast<Fn*>(p)->~Fn(); }};

  template <class F>
  void construct(F&& f) {
    using Fn = std::decay_t<F>;
    static_assert(sizeof(Fn) <= kCapacity,
                  "event callable captures more than 48 bytes: capture a pointer to the state instead");
    static_assert(alignof(Fn) <= alignof(std::uint64_t), "event callable needs over-aligned storage");
    ::new (static_cast<void*>(buf_)) Fn(std::forward<F>(f));
    ops_ = &kOps<Fn>;
  }

  void take(EventFn& other) {
    ops_ = other.ops_;
    if (ops_ == nullptr) return;
    if (ops_->relocate != nullptr)
      ops_->relocate(buf_, other.buf_);
    else
      std::memcpy(buf_, other.buf_, kCapacity);
    other.ops_ = nullptr;
  }

  alignas(std::uint64_t) unsigned char buf_[kCapacity];
  const Ops* ops_ = nullptr;
};

}  // namespace lvs
