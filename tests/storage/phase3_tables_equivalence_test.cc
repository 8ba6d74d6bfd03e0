// The plan's phase 3 ("database equivalence tests") in C++, first half:
// the server, alias, variable, secret and cid tables. The same create /
// query / update / delete operations run on two backends (each backend
// against the reference one, tests/storage/backends.h), with whole rows (ids
// and timestamps included) and errors (code and message) compared field by
// field, and each result also checked against the value it must have. The other
// tables, and checks across all of them, are in
// phase3_queries_equivalence_test.cc.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/status_macros.h"
#include "tests/storage/equivalence_helpers.h"
#include "tests/storage/phase3_fixture.h"

namespace viewer::testing {
namespace {

using ::absl::StatusCode;
using ::testing::ElementsAre;

// ---------------------------------------------------------------- server

TEST_P(Phase3, ServerCreateGivesTheSameWholeRow) {
  AddOk("server", Entity("test-server", "test definition"), 1);
  auto r = Get("server", 1);
  ASSERT_OK(r.a);
  EXPECT_EQ(*r.a, (Row{{I(1), T("test-server"), T("test definition"), Value(),
                        At(kStart), At(kStart), Bool(true)}}));
  ExpectSameContents();
}

TEST_P(Phase3, ServerQueryCountFilterAndOrder) {
  AddOk("server", {{"name", T("server-c")}, {"definition", T("def c")}}, 1);
  AddOk("server",
        {{"name", T("server-b")},
         {"definition", T("def b")},
         {"enabled", Bool(false)}},
        2);
  AddOk("server", {{"name", T("server-a")}, {"definition", T("def a")}}, 3);

  auto all = Count("server");
  EXPECT_EQ(all.a.value_or(-1), 3);
  auto enabled = Count("server", {Filter::Eq("enabled", Bool(true))});
  EXPECT_EQ(enabled.a.value_or(-1), 2);

  auto by_name = Select("server", Q({}, {Asc("name")}));
  ASSERT_OK(by_name.a);
  EXPECT_THAT(Texts(*by_name.a, "server", "name"),
              ElementsAre("server-a", "server-b", "server-c"));
  auto desc = Select("server", Q({}, {Desc("name")}));
  ASSERT_OK(desc.a);
  EXPECT_THAT(Ids(*desc.a), ElementsAre(1, 2, 3));
  auto disabled = Select("server", Q({Filter::Eq("enabled", Bool(false))}));
  ASSERT_OK(disabled.a);
  EXPECT_THAT(Texts(*disabled.a, "server", "name"), ElementsAre("server-b"));
  auto page = Select("server", Q({}, {Asc("name")}, 1, 1));
  ASSERT_OK(page.a);
  EXPECT_THAT(Texts(*page.a, "server", "definition"), ElementsAre("def b"));
  auto first = Select("server",
                      Q({Filter::Gt("name", T("server-a"))}, {Asc("name")}, 1));
  ASSERT_OK(first.a);
  EXPECT_THAT(Ids(*first.a), ElementsAre(2));
  ExpectSameContents();
}

TEST_P(Phase3, ServerUpdateChangesDefinitionAndUpdatedAt) {
  AddOk("server", Entity("update-test", "original"), 1);
  Advance(absl::Seconds(90));
  auto u = OnBoth([](Transaction& txn) {
    return txn.Update("server", 1, {{"definition", T("updated")}});
  });
  ExpectSame(u);
  EXPECT_OK(u.a);
  auto r = Get("server", 1);
  ASSERT_OK(r.a);
  const Timestamp later{kStart.micros + 90'000'000};
  EXPECT_EQ(*r.a, (Row{{I(1), T("update-test"), T("updated"), Value(),
                        At(kStart), At(later), Bool(true)}}));
  // Updating a missing row is the same error on both.
  auto missing = OnBoth([](Transaction& txn) {
    return txn.Update("server", 42, {{"definition", T("x")}});
  });
  ExpectSame(missing);
  EXPECT_THAT(missing.a,
              StatusIs(StatusCode::kNotFound, "no row with id 42 in server"));
  ExpectSameContents();
}

TEST_P(Phase3, ServerDeleteRemovesTheRow) {
  AddOk("server", Entity("keep", "k"), 1);
  AddOk("server", Entity("delete-test", "to delete"), 2);
  auto d = OnBoth([](Transaction& txn) { return txn.Delete("server", 2); });
  ExpectSame(d);
  EXPECT_OK(d.a);
  auto gone = Count("server", {Filter::Eq("name", T("delete-test"))});
  EXPECT_EQ(gone.a.value_or(-1), 0);
  auto get = Get("server", 2);
  EXPECT_THAT(get.a,
              StatusIs(StatusCode::kNotFound, "no row with id 2 in server"));
  auto again = OnBoth([](Transaction& txn) { return txn.Delete("server", 2); });
  ExpectSame(again);
  EXPECT_THAT(again.a, StatusIs(StatusCode::kNotFound));
  auto where = OnBoth([](Transaction& txn) {
    return txn.DeleteWhere("server", {Filter::Prefix("name", T("ke"))});
  });
  ExpectSame(where);
  EXPECT_EQ(where.a.value_or(-1), 1);
  EXPECT_EQ(Count("server").a.value_or(-1), 0);
  ExpectSameContents();
}

TEST_P(Phase3, ServerNameIsUnique) {
  AddOk("server", Entity("dup", "first"), 1);
  AddOk("server", Entity("other", "second"), 2);
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("server", Entity("dup", "again"));
      },
      StatusCode::kAlreadyExists, "UNIQUE constraint failed: server.name");
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Update("server", 2, {{"name", T("dup")}});
      },
      StatusCode::kAlreadyExists, "UNIQUE constraint failed: server.name");
  ExpectRejected(
      [](Transaction& txn) {
        return txn.UpdateWhere("server", {}, {{"name", T("same")}});
      },
      StatusCode::kAlreadyExists, "UNIQUE constraint failed: server.name");
  // Names compare bytewise: case and trailing spaces make a new name.
  AddOk("server", Entity("DUP", "upper"), 3);
  AddOk("server", Entity("dup ", "space"), 4);
  // Setting a row's name to the name it already has is no conflict.
  auto self = OnBoth([](Transaction& txn) {
    return txn.Update("server", 1, {{"name", T("dup")}});
  });
  ExpectSame(self);
  EXPECT_OK(self.a);
  ExpectSameContents();
}

TEST_P(Phase3, TakenExplicitIdIsAUniqueViolationOnId) {
  AddOk("server", Entity("a", "a"), 1);
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert(
            "server", {{"id", I(1)}, {"name", T("b")}, {"definition", T("b")}});
      },
      StatusCode::kAlreadyExists, "UNIQUE constraint failed: server.id");
  AddOk("server", {{"id", I(10)}, {"name", T("b")}, {"definition", T("b")}},
        10);
  AddOk("server", Entity("c", "c"), 11);
  ExpectSameContents();
}

TEST_P(Phase3, ServerNotNullViolations) {
  AddOk("server", Entity("present", "p"), 1);
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("server", {{"name", T("no-def")}});
      },
      StatusCode::kInvalidArgument,
      "NOT NULL constraint failed: server.definition");
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("server",
                          {{"name", Value()}, {"definition", T("d")}});
      },
      StatusCode::kInvalidArgument, "NOT NULL constraint failed: server.name");
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert(
            "server",
            {{"name", T("e")}, {"definition", T("d")}, {"enabled", Value()}});
      },
      StatusCode::kInvalidArgument,
      "NOT NULL constraint failed: server.enabled");
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Update("server", 1, {{"definition", Value()}});
      },
      StatusCode::kInvalidArgument,
      "NOT NULL constraint failed: server.definition");
  ExpectSameContents();
}

// ----------------------------------------------------------------- alias

TEST_P(Phase3, AliasCreateWithAndWithoutDefinition) {
  AddOk("alias", Entity("test-alias", "/api/test"), 1);
  AddOk("alias", {{"name", T("bare")}}, 2);
  auto rows = Select("alias", Q({}));
  ASSERT_OK(rows.a);
  EXPECT_EQ(*rows.a,
            (std::vector<Row>{Row{{I(1), T("test-alias"), T("/api/test"),
                                   At(kStart), At(kStart), Bool(true)}},
                              Row{{I(2), T("bare"), Value(), At(kStart),
                                   At(kStart), Bool(true)}}}));
  ExpectSameContents();
}

TEST_P(Phase3, AliasOrderingByNameIsBytewise) {
  int64_t id = 1;
  for (const char* name : {"z-alias", "a-alias", "m-alias", "B-alias",
                           "\xc3\xa4-alias", "a-alias-2"}) {
    AddOk("alias", {{"name", T(name)}, {"definition", T("/x")}}, id++);
  }
  auto rows = Select("alias", Q({}, {Asc("name")}));
  ASSERT_OK(rows.a);
  // Uppercase sorts before lowercase; a multibyte letter after ASCII.
  EXPECT_THAT(Texts(*rows.a, "alias", "name"),
              ElementsAre("B-alias", "a-alias", "a-alias-2", "m-alias",
                          "z-alias", "\xc3\xa4-alias"));
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("alias", {{"name", T("m-alias")}});
      },
      StatusCode::kAlreadyExists, "UNIQUE constraint failed: alias.name");
  ExpectSameContents();
}

// -------------------------------------------------------------- variable

TEST_P(Phase3, VariableCreateAndFindByName) {
  AddOk("variable", Entity("TEST_VAR", "test_value"), 1);
  AddOk("variable", Entity("OTHER", "x"), 2);
  auto found = Select("variable", Q({Filter::Eq("name", T("TEST_VAR"))}));
  ASSERT_OK(found.a);
  EXPECT_EQ(*found.a,
            (std::vector<Row>{Row{{I(1), T("TEST_VAR"), T("test_value"),
                                   At(kStart), At(kStart), Bool(true)}}}));
  ExpectSameContents();
}

TEST_P(Phase3, VariableUniqueConstraintFailsOnlyTheStatement) {
  AddOk("variable", Entity("UNIQUE_VAR", "first"), 1);
  // Within one transaction: the duplicate fails, the rest commits.
  auto r = OnBoth([](Transaction& txn) -> absl::StatusOr<std::string> {
    absl::Status dup =
        txn.Insert("variable", Entity("UNIQUE_VAR", "second")).status();
    VIEWER_RETURN_IF_ERROR(
        txn.Insert("variable", Entity("NEXT", "n")).status());
    return std::string(dup.message());
  });
  ExpectSame(r);
  EXPECT_EQ(r.a.value_or(""), "UNIQUE constraint failed: variable.name");
  auto rows = Select("variable", Q({}, {Asc("name")}));
  ASSERT_OK(rows.a);
  EXPECT_THAT(Texts(*rows.a, "variable", "definition"),
              ElementsAre("n", "first"));
  EXPECT_THAT(Ids(*rows.a), ElementsAre(2, 1));
  ExpectSameContents();
}

TEST_P(Phase3, VariableRenameFreesTheOldName) {
  AddOk("variable", Entity("OLD", "v"), 1);
  auto r = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(txn.Update("variable", 1, {{"name", T("NEW")}}));
    return txn.Insert("variable", Entity("OLD", "reused")).status();
  });
  ExpectSame(r);
  EXPECT_OK(r.a);
  auto rows = Select("variable", Q({}, {Asc("name")}));
  ASSERT_OK(rows.a);
  EXPECT_THAT(Texts(*rows.a, "variable", "name"), ElementsAre("NEW", "OLD"));
  EXPECT_THAT(Ids(*rows.a), ElementsAre(1, 2));
  ExpectSameContents();
}

// ---------------------------------------------------------------- secret

TEST_P(Phase3, SecretCreateUniqueAndDisable) {
  AddOk("secret", Entity("API_KEY", "secret-value-123"), 1);
  AddOk("secret", Entity("DB_PASS", "hunter2"), 2);
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("secret", Entity("API_KEY", "other"));
      },
      StatusCode::kAlreadyExists, "UNIQUE constraint failed: secret.name");
  Advance(absl::Milliseconds(1));
  auto off = OnBoth([](Transaction& txn) {
    return txn.UpdateWhere("secret", {Filter::Eq("name", T("DB_PASS"))},
                           {{"enabled", Bool(false)}});
  });
  ExpectSame(off);
  EXPECT_EQ(off.a.value_or(-1), 1);
  auto r = Get("secret", 2);
  ASSERT_OK(r.a);
  EXPECT_EQ(*r.a, (Row{{I(2), T("DB_PASS"), T("hunter2"), At(kStart),
                        At(Timestamp{kStart.micros + 1000}), Bool(false)}}));
  EXPECT_EQ(Count("secret", {Filter::Eq("enabled", Bool(true))}).a.value_or(-1),
            1);
  ExpectSameContents();
}

// ------------------------------------------------------------------- cid

TEST_P(Phase3, CidCreateAndFindByPrefix) {
  AddOk("cid",
        {{"path", T("/AAAAAAAFaGVsbG8")},
         {"file_data", B("hello")},
         {"file_size", I(5)}},
        1);
  AddOk("cid",
        {{"path", T("/aaaaaaafagvsbg8")},
         {"file_data", B("other")},
         {"file_size", I(5)}},
        2);
  auto r = Get("cid", 1);
  ASSERT_OK(r.a);
  EXPECT_EQ(*r.a,
            (Row{{I(1), T("/AAAAAAAFaGVsbG8"), B("hello"), I(5), At(kStart)}}));
  // Prefix search is case-sensitive.
  auto found = Select("cid", Q({Filter::Prefix("path", T("/AAAA"))}));
  ASSERT_OK(found.a);
  EXPECT_THAT(Ids(*found.a), ElementsAre(1));
  auto none = Select("cid", Q({Filter::Prefix("path", T("/AAAb"))}));
  ASSERT_OK(none.a);
  EXPECT_TRUE(none.a->empty());
  ExpectSameContents();
}

TEST_P(Phase3, CidBinaryDataWithAllByteValues) {
  std::string bytes;
  for (int b = 0; b < 256; ++b) bytes.push_back(static_cast<char>(b));
  std::string reversed(bytes.rbegin(), bytes.rend());
  AddOk("cid",
        {{"path", T("/cid/binary")},
         {"file_data", B(bytes)},
         {"file_size", I(256)}},
        1);
  AddOk("cid",
        {{"path", T("/cid/reversed")},
         {"file_data", B(reversed)},
         {"file_size", I(256)}},
        2);
  AddOk("cid",
        {{"path", T("/cid/empty")}, {"file_data", B("")}, {"file_size", I(0)}},
        3);
  auto rows = Select("cid", Q({Filter::Eq("path", T("/cid/binary"))}));
  ASSERT_OK(rows.a);
  ASSERT_EQ(rows.a->size(), 1u);
  EXPECT_EQ((*rows.a)[0][Col("cid", "file_data")], B(bytes));
  // Blobs compare bytewise, in filters and in order.
  auto by_data = Select("cid", Q({Filter::Eq("file_data", B(reversed))}));
  ASSERT_OK(by_data.a);
  EXPECT_THAT(Ids(*by_data.a), ElementsAre(2));
  auto prefix = Select(
      "cid", Q({Filter::Prefix("file_data", B(std::string("\0\x01", 2)))}));
  ASSERT_OK(prefix.a);
  EXPECT_THAT(Ids(*prefix.a), ElementsAre(1));
  auto ordered = Select("cid", Q({}, {Asc("file_data")}));
  ASSERT_OK(ordered.a);
  EXPECT_THAT(Ids(*ordered.a), ElementsAre(3, 1, 2));
  // An empty blob is not NULL.
  EXPECT_EQ(Count("cid", {Filter::IsNull("file_data")}).a.value_or(-1), 0);
  ExpectSameContents();
}

TEST_P(Phase3, CidLargeBlob) {
  std::string large(1'000'000, 'x');
  for (size_t i = 0; i < large.size(); i += 997) {
    large[i] = static_cast<char>(i % 251);
  }
  AddOk("cid",
        {{"path", T("/cid/large")},
         {"file_data", B(large)},
         {"file_size", I(1'000'000)}},
        1);
  auto r = Get("cid", 1);
  ASSERT_OK(r.a);
  EXPECT_EQ((*r.a)[Col("cid", "file_data")].blob().size(), 1'000'000u);
  EXPECT_TRUE((*r.a)[Col("cid", "file_data")].blob() == large);
  auto total =
      ReadBoth([](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(total);
  EXPECT_EQ(total.a.value_or(Value()), I(1'000'000));
  ExpectSameContents();
}

TEST_P(Phase3, CidPathIsUniqueAndDataRequired) {
  AddOk("cid", {{"path", T("/p")}, {"file_data", B("one")}}, 1);
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("cid", {{"path", T("/p")}, {"file_data", B("two")}});
      },
      StatusCode::kAlreadyExists, "UNIQUE constraint failed: cid.path");
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("cid", {{"path", T("/q")}});
      },
      StatusCode::kInvalidArgument,
      "NOT NULL constraint failed: cid.file_data");
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("cid", {{"file_data", B("no path")}});
      },
      StatusCode::kInvalidArgument, "NOT NULL constraint failed: cid.path");
  // file_size is nullable: the row keeps NULL.
  auto r = Get("cid", 1);
  ASSERT_OK(r.a);
  EXPECT_TRUE((*r.a)[Col("cid", "file_size")].is_null());
  ExpectSameContents();
}

INSTANTIATE_TEST_SUITE_P(Compare, Phase3, AllPairs(), PairParamName);

}  // namespace
}  // namespace viewer::testing
