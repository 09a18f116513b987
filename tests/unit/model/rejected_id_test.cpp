#include "model/rejected_id.hpp"
#include "model/rules.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace taosync::model;

TEST_CASE("a rejected record keeps its id whole while it fits, however long past kMaxIdBytes") {
  CHECK(rejected_record_id("558757367941") == "558757367941");
  CHECK(rejected_record_id("") == "");
  const std::string long_id(kMaxIdBytes + 10, '7');
  CHECK(rejected_record_id(long_id) == long_id);
  const std::string longest(kMaxRejectedIdBytes, '7');
  CHECK(rejected_record_id(longest) == longest);
  CHECK_FALSE(is_hashed_id(longest));
}

TEST_CASE("an id too long to keep is filed as a marked hash of all of it, never a prefix") {
  const std::string id = "558757367941" + std::string(kMaxRejectedIdBytes, '0');
  const std::string filed = rejected_record_id(id);
  CHECK(is_hashed_id(filed));
  CHECK(filed.size() == kHashedIdPrefix.size() + 64);
  CHECK(filed.find("558757367941") == std::string::npos);
  CHECK(filed.size() <= kMaxRejectedIdBytes);
  // SHA-256 of the whole id: the same id gives the same name, one more byte another.
  CHECK(rejected_record_id(id) == filed);
  CHECK(rejected_record_id(id + "1") != filed);
  CHECK(rejected_record_id(std::string(300, 'a')) ==
        "#too-long:sha256:" // sha256 of 300 'a's, as sha256sum prints it
        "9835fa6bf4e20a9b9ea812506302e98982721a6cf8d2cae67af57129bf21ae90");
}
