#include "property_tests/repository_gen.h"

#include "app/cid.h"
#include "app/schemas.h"
#include "property_tests/generators.h"

namespace viewer::property {

using rc::gen::inRange;

// Entity names: mostly valid and colliding, sometimes invalid (each kind
// of bad name the validation knows), sometimes differing only in case.
std::string GenName() {
  static const auto* valid =
      new std::vector<std::string>{"a", "b", "c", "A", "a.b"};
  static const auto* invalid = new std::vector<std::string>{
      "", "a b", "..", "x/y", std::string(101, 'n'), "\xff", "caf\xc3\xa9"};
  return *inRange(0, 5) == 4 ? Pick(*invalid) : Pick(*valid);
}

std::optional<std::string> GenDefinition() {
  static const auto* defs = new std::vector<std::optional<std::string>>{
      "d", "e", "", std::string(80, 'D'), "ai -> /ai_assist", std::nullopt};
  return Pick(*defs);
}

std::optional<bool> GenEnabled() {
  return Pick(std::vector<std::optional<bool>>{std::nullopt, true, false});
}

EntityKind GenKind() {
  return Pick(
      std::vector<EntityKind>(kAllEntityKinds.begin(), kAllEntityKinds.end()));
}

// Content for CIDs: small, repeating, literal and hashed.
std::string GenContent() {
  static const auto* contents =
      new std::vector<std::string>{"",
                                   "x",
                                   "hello",
                                   "\xff",
                                   "a",
                                   "\xc9",
                                   std::string(64, 'l'),
                                   std::string(65, 'h'),
                                   std::string(300, 'z')};
  return Pick(*contents);
}

// A CID to look up: of stored-looking content, never stored, or malformed.
std::string GenCid() {
  switch (*inRange(0, 8)) {
    case 6:
      return ComputeCid(std::string(99, 'n'));  // hashed, never created
    case 7:
      return Pick(std::vector<std::string>{"", "bad%cid", "AAAA", "/AAAAAAAA"});
    default:
      return ComputeCid(GenContent());
  }
}

std::string GenPrefix() {
  return Pick(std::vector<std::string>{"", "A", "AAAAAAAB", "AAAAAAAB_",
                                       "AAAAAAAB%", "AAAAAAABy", "aaaa",
                                       "AAAAAAAF", "/", "AAAAAEs"});
}

int64_t GenLimit() { return Pick(std::vector<int64_t>{0, 1, 2, 10, -1}); }

std::optional<Timestamp> GenBound() {
  if (*inRange(0, 3) == 0) return std::nullopt;
  return Timestamp{kClockStart + Pick(std::vector<int64_t>{-1, 0, 1, 1'000'000,
                                                           3'600'000'000})};
}

std::string ShowBound(const std::optional<Timestamp>& t) {
  return t ? t->ToString() : "open";
}

void Bump(Model& m, absl::string_view table) {
  ++m.max_id[*AppCatalog().Resolve(table)];
}

}  // namespace viewer::property
