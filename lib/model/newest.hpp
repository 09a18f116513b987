#pragma once
// "Newest wins", the one rule for two versions of one record: the later modification_time
// is kept, and on a tie the one read last (it can only be as new). Listing passes, batches
// and the checked rows of a transaction all collapse duplicates with it.

#include <utility>

namespace taosync::model {

/// True if `candidate` (read after `kept`) replaces it.
template <class T> bool supersedes(const T& candidate, const T& kept) {
  return kept.modification_time <= candidate.modification_time;
}

namespace newest_detail {
template <class T> const T& record(const T& r) {
  return r;
}
template <class T> const T& record(const T* r) {
  return *r;
}
} // namespace newest_detail

/// Adds `rec` (a record, or a pointer to one) under `key` to `kept`, first-seen order, unless
/// `kept` already holds the same or a newer version. `at` maps each key to its position.
template <class Kept, class Index, class Key, class Rec>
void keep_newest(Kept& kept, Index& at, Key&& key, Rec&& rec) {
  const auto [it, fresh] = at.try_emplace(std::forward<Key>(key), kept.size());
  if (fresh)
    kept.push_back(std::forward<Rec>(rec));
  else if (supersedes(newest_detail::record(rec), newest_detail::record(kept[it->second])))
    kept[it->second] = std::forward<Rec>(rec);
}

} // namespace taosync::model
