// MvccTable: undo of the writer's changes, and reclamation of versions no
// snapshot can see. Both take versions out of chains, so both keep index
// entries pointing at the newest version holding their key (invariant 1).
#include <algorithm>

#include "engine/internal/mvcc_table.h"

namespace viewer::internal {

MvccTable::Chain MvccTable::ChainOf(Version* head) const {
  Chain chain;
  for (Version* v = head; v != nullptr; v = Older(v)) chain.push_back(v);
  return chain;
}

void MvccTable::Link(const Version* newer, Version* older) {
  if (older_.insert_or_assign(newer, older).second) Charge(kLinkBytes);
}

void MvccTable::Unlink(const Version* newer) {
  if (older_.erase(newer) > 0) Charge(-kLinkBytes);
}

void MvccTable::ReleaseEntries(const Version* gone,
                               absl::Span<Version* const> rest,
                               const Version* same) {
  // `gone` is newer than `rest`, so each of its keys' entries points at it.
  const int64_t id = format_.Id(gone);
  for (size_t c : indexed_columns_) {
    const KeyRef key = format_.Key(gone, c);
    if (same != nullptr && CompareKeys(format_.Key(same, c), key) == 0) {
      continue;
    }
    auto holder = std::find_if(rest.begin(), rest.end(), [&](Version* v) {
      return CompareKeys(format_.Key(v, c), key) == 0;
    });
    if (holder != rest.end()) {
      mutable_index(c).Repoint(key, id, *holder);
    } else if (mutable_index(c).Erase(key, id)) {
      Charge(-entry_bytes_[c]);
    }
  }
}

void MvccTable::DropEntries(const Version* gone,
                            absl::Span<Version* const> kept) {
  // `gone` is older than `kept`: a key a kept version holds has its entry
  // there, and needs nothing; any other key's entry points at `gone` or
  // at another version going with it.
  const int64_t id = format_.Id(gone);
  for (size_t c : indexed_columns_) {
    const KeyRef key = format_.Key(gone, c);
    const bool kept_key = std::any_of(kept.begin(), kept.end(), [&](Version* v) {
      return CompareKeys(format_.Key(v, c), key) == 0;
    });
    if (!kept_key && mutable_index(c).Erase(key, id)) {
      Charge(-entry_bytes_[c]);
    }
  }
}

void MvccTable::UndoInsert(Version* v) {
  WriterLatchLock lock(&latch_);
  const int64_t id = format_.Id(v);
  // Undo runs newest first, so `v` is the head of its chain.
  Version* older = Older(v);
  const Chain rest = older == nullptr ? Chain() : ChainOf(older);
  ReleaseEntries(v, rest, nullptr);
  if (older != nullptr) {
    Unlink(v);
    primary_.Set(id, older);
  } else {
    Charge(-primary_.Clear(id));
  }
  UnchargeBlobs(v);
  Discard(v);
}

void MvccTable::UndoUpdate(const UpdateRecord& u) {
  WriterLatchLock lock(&latch_);
  const int64_t id = format_.Id(u.head);
  if (!u.in_place) {
    // `head` was pushed on top of `old`.
    ReleaseEntries(u.head, ChainOf(u.old), nullptr);
    Unlink(u.head);
    primary_.Set(id, u.old);
    Restamp(u.old, u.old->Begin(), kInfinity);
    UnchargeBlobs(u.head);
    Discard(u.head);
    return;
  }
  // `head` got the new values in place; `old` holds the previous ones.
  Version* older = Older(u.old);
  const Chain rest = older == nullptr ? Chain() : ChainOf(older);
  // The new keys' entries leave `head` (while it still holds them).
  ReleaseEntries(u.head, rest, u.old);
  UnchargeBlobs(u.head);
  format_.DestroyBlobs(u.head);
  format_.CopyBody(u.old, u.head);  // with the blob charges
  Restamp(u.head, u.old->Begin(), kInfinity);
  // The old keys' entries come back from the copy.
  for (size_t c : indexed_columns_) {
    const KeyRef key = format_.Key(u.old, c);
    if (mutable_index(c).Find(key, id) == u.old) {
      mutable_index(c).Repoint(key, id, u.head);
    }
  }
  Unlink(u.old);
  if (older != nullptr) {
    Link(u.head, older);
  } else {
    Unlink(u.head);
  }
  Discard(u.old);
}

void MvccTable::UndoEnd(Version* v) { Restamp(v, v->Begin(), kInfinity); }

void MvccTable::Prune(int64_t id, uint64_t horizon) {
  WriterLatchLock lock(&latch_);
  Version* head = primary_.Find(id);
  if (head == nullptr) return;
  const Chain chain = ChainOf(head);
  // The first version ended at or before the horizon: it and everything
  // older are invisible to every view that can still be opened.
  size_t first = 0;
  while (first < chain.size() && !(chain[first]->End() <= horizon)) ++first;
  if (first == chain.size()) return;
  const absl::Span<Version* const> kept(chain.data(), first);
  const absl::Span<Version* const> gone(chain.data() + first,
                                        chain.size() - first);
  for (Version* g : gone) DropEntries(g, kept);
  // A blob the oldest kept version shares with a freed one is now its own.
  Version* heir = kept.empty() ? nullptr : kept.back();
  for (Version* g : gone) {
    for (size_t b = 0; b < format_.blob_count(); ++b) {
      if (!format_.BlobCharged(g, b)) continue;
      const Value::BlobRef& blob = format_.Blob(g, b);
      if (heir != nullptr && format_.Blob(heir, b) == blob &&
          !format_.BlobCharged(heir, b)) {
        format_.SetBlobCharged(heir, b, true);
      } else {
        Charge(-BlobBytes(blob));
      }
    }
  }
  if (heir != nullptr) {
    Unlink(heir);
  } else {
    Charge(-primary_.Clear(id));
  }
  for (Version* g : gone) {
    Unlink(g);
    Discard(g);
  }
}

}  // namespace viewer::internal
