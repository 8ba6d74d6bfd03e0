// Commands of the storage property with more than one thread: a second
// writer while the first is open (made to time out, or made to wait and
// then proceed when the first ends), and readers on threads of their own
// while the first writer commits. Each is deterministic in what it
// compares: the second writer is seen asleep inside its Begin before the
// first ends (tests/thread_state.h), and a reader's rows must be the
// committed state before or after the commit, whichever its timing allows.
#include "property_tests/writer_commands.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "property_tests/repository_gen.h"
#include "tests/thread_state.h"

namespace viewer::property {
namespace {

using Clock = std::chrono::steady_clock;
using rc::gen::inRange;

absl::Status StatusOf(const absl::StatusOr<std::unique_ptr<Transaction>>& t) {
  return t.status();
}

// A second Begin(kReadWrite) while the first writer is open, on every side
// at once (each waits the busy timeout): "database is locked" everywhere.
// Through the store itself and, where the backend has one, through a
// second handle on the same data, so that the backend's own lock (SQLite's
// file lock and its busy error) answers too.
struct SecondWriterTimesOut : Step {
  explicit SecondWriterTimesOut(const Model&) {}
  void checkPreconditions(const Model& m) const override {
    RC_PRE(m.in_transaction && !m.timed_out_writer);
  }
  void apply(Model& m) const override { m.timed_out_writer = true; }
  std::string Describe() const override { return "SecondWriterTimesOut"; }
  void Run(StoreSet& s) const override {
    const size_t n = s.sides().size();
    std::vector<absl::Status> same(n), second(n);
    std::vector<Store*> handles(n);
    for (size_t i = 0; i < n; ++i) handles[i] = s.SecondHandle(*s.sides()[i]);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        same[i] =
            StatusOf(s.sides()[i]->store->Begin(TransactionMode::kReadWrite));
      });
      if (handles[i] != nullptr) {
        threads.emplace_back([&, i] {
          second[i] = StatusOf(handles[i]->Begin(TransactionMode::kReadWrite));
        });
      }
    }
    for (std::thread& t : threads) t.join();
    s.ExpectAll(same, "a second writer on the same store");
    for (size_t i = 0; i < n; ++i) {
      if (handles[i] == nullptr) second[i] = same[0];
    }
    s.ExpectAll(second, "a second writer through a second handle");
  }
};

// What the writer that waited did, and how the first one ended.
struct Handover {
  absl::Status first_end;
  absl::Status second_begin;
  absl::StatusOr<int64_t> second_insert = int64_t{0};
  absl::Status second_commit;
};

bool Same(const Handover& a, const Handover& b) {
  return property::Same(a.first_end, b.first_end) &&
         property::Same(a.second_begin, b.second_begin) &&
         property::Same(a.second_insert, b.second_insert) &&
         property::Same(a.second_commit, b.second_commit);
}

std::string Show(const Handover& h) {
  return absl::StrCat("first ends ", property::Show(h.first_end),
                      "; second begins ", property::Show(h.second_begin),
                      ", inserts ", property::Show(h.second_insert),
                      ", commits ", property::Show(h.second_commit));
}

// A second writer that waits while the first is open and proceeds once it
// commits (or rolls back): its Begin is seen asleep before the first ends,
// and must not return before.
struct SecondWriterWaits : Step {
  bool commit = *inRange(0, 3) != 0;
  bool via_second_handle = *inRange(0, 2) == 0;
  explicit SecondWriterWaits(const Model&) {}
  void checkPreconditions(const Model& m) const override {
    RC_PRE(m.in_transaction);
  }
  void apply(Model& m) const override {
    m.in_transaction = false;
    m.savepoints.clear();
    Bump(m, kExportTable);
  }
  std::string Describe() const override {
    return absl::StrCat("SecondWriterWaits, then the first ",
                        commit ? "commits" : "rolls back",
                        via_second_handle ? " (second handle)" : "");
  }
  void Run(StoreSet& s) const override {
    s.Each([&](StoreSet::Side& side) { return Handle(s, side); },
           "a waiting second writer differs");
  }

 private:
  Handover Handle(StoreSet& s, StoreSet::Side& side) const {
    Store* store = via_second_handle ? s.SecondHandle(side) : nullptr;
    if (store == nullptr) store = side.store.get();
    Handover out;
    std::atomic<pid_t> tid{0};
    std::atomic<bool> returned{false};
    std::atomic<int64_t> returned_at{0};
    absl::StatusOr<std::unique_ptr<Transaction>> second =
        absl::UnknownError("not begun");
    std::thread waiter([&] {
      tid = testing::CurrentThreadId();
      second = store->Begin(TransactionMode::kReadWrite);
      returned_at = Clock::now().time_since_epoch().count();
      returned = true;
    });
    const bool blocked =
        testing::WaitUntilBlocked(tid, [&] { return returned.load(); });
    const bool returned_early = returned.load();
    if (returned_early) {
      waiter.join();
      if (second.ok()) {
        s.Fail("a second writer began on " + side.name +
                   " while the first was open",
               "");
      }
    }
    const int64_t end_started = Clock::now().time_since_epoch().count();
    out.first_end = commit ? side.txn->Commit() : side.txn->Rollback();
    side.txn.reset();
    if (!returned_early) waiter.join();
    if (!blocked && !returned_early) {
      s.Fail("the second writer on " + side.name +
                 " was never seen waiting (10 s)",
             "");
    }
    if (!second.ok() && returned_at < end_started) {
      // It timed out before the first ended (a slow moment of this
      // machine, not of the store): begin again, the slot is free now.
      second = store->Begin(TransactionMode::kReadWrite);
    }
    out.second_begin = second.status();
    if (second.ok()) {
      out.second_insert = (*second)->Insert(
          kExportTable, {{"cid", Value::Text("/second-writer")}});
      out.second_commit = (*second)->Commit();
    }
    return out;
  }
};

// How readers on threads of their own fared while the writer ended.
struct ReadersDuringCommit {
  absl::Status end;
  absl::StatusOr<Contents> before, after;
  std::string readers;  // "ok" or what a reader saw that it should not
};

bool Same(const ReadersDuringCommit& a, const ReadersDuringCommit& b) {
  return property::Same(a.end, b.end) && property::Same(a.before, b.before) &&
         property::Same(a.after, b.after) && a.readers == b.readers;
}

std::string Show(const ReadersDuringCommit& r) {
  return absl::StrCat("ends ", property::Show(r.end), "; readers: ", r.readers,
                      "\n    before:", property::Show(r.before),
                      "\n    after:", property::Show(r.after));
}

// Readers on threads of their own read every table, over and over, while
// the writer commits (or rolls back): each read is the committed state
// before or after, never a mix, and one begun after the end sees it.
struct EndWithReaders : Step {
  bool commit = *inRange(0, 3) != 0;
  explicit EndWithReaders(const Model&) {}
  void checkPreconditions(const Model& m) const override {
    RC_PRE(m.in_transaction);
  }
  void apply(Model& m) const override {
    m.in_transaction = false;
    m.savepoints.clear();
  }
  std::string Describe() const override {
    return commit ? "Commit with 2 readers running"
                  : "Rollback with 2 readers running";
  }
  void Run(StoreSet& s) const override {
    s.Each([&](StoreSet::Side& side) { return Handle(s, side); },
           "readers during the end of a transaction differ");
  }

 private:
  struct Read {
    int64_t began, ended;
    absl::StatusOr<Contents> rows;
  };

  ReadersDuringCommit Handle(StoreSet& s, StoreSet::Side& side) const {
    constexpr int kReaders = 2;
    ReadersDuringCommit out;
    out.before = s.Committed(side);
    std::atomic<int> first_reads{0};
    std::atomic<int64_t> end_done{0};
    std::vector<std::vector<Read>> reads(kReaders);
    std::vector<std::thread> readers;
    for (int r = 0; r < kReaders; ++r) {
      readers.emplace_back([&, r] {
        for (bool first = true;; first = false) {
          Read one{Clock::now().time_since_epoch().count(), 0,
                   s.Committed(side)};
          one.ended = Clock::now().time_since_epoch().count();
          const bool last = end_done != 0 && one.began > end_done;
          reads[r].push_back(std::move(one));
          if (first) ++first_reads;
          if (last) return;
        }
      });
    }
    while (first_reads < kReaders) std::this_thread::yield();
    const int64_t end_started = Clock::now().time_since_epoch().count();
    out.end = commit ? side.txn->Commit() : side.txn->Rollback();
    side.txn.reset();
    end_done = Clock::now().time_since_epoch().count();
    for (std::thread& t : readers) t.join();
    out.after = s.Committed(side);
    out.readers = Judge(reads, out, end_started, end_done);
    return out;
  }

  static std::string Judge(const std::vector<std::vector<Read>>& reads,
                           const ReadersDuringCommit& r, int64_t end_started,
                           int64_t end_done) {
    for (const auto& one_reader : reads) {
      for (const Read& read : one_reader) {
        const bool is_before = property::Same(read.rows, r.before);
        const bool is_after = property::Same(read.rows, r.after);
        if (!is_before && !is_after) {
          return "a reader saw neither the state before nor after: " +
                 property::Show(read.rows);
        }
        if (read.began > end_done && !is_after) {
          return "a reader begun after the end saw the state before";
        }
        if (read.ended < end_started && !is_before) {
          return "a reader done before the end saw the state after";
        }
      }
    }
    return "ok";
  }
};

}  // namespace

std::vector<std::pair<int, CmdPtr (*)(const Model&)>> WriterCommands(
    const Model& m) {
  std::vector<std::pair<int, CmdPtr (*)(const Model&)>> out;
  // Each of these takes milliseconds (a thread, a wait): less often than
  // the single-threaded steps.
  if (m.in_transaction) {
    if (!m.timed_out_writer) out.push_back({1, &Make<SecondWriterTimesOut>});
    out.push_back({1, &Make<SecondWriterWaits>});
    out.push_back({2, &Make<EndWithReaders>});
  }
  return out;
}

}  // namespace viewer::property
