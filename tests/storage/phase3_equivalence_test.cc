// The plan's phase 3 ("database equivalence tests") in C++: for each of the
// nine application tables, the same create / query / update / delete
// operations on the memory engine and on SQLite, with whole rows (ids and
// timestamps included) and errors (code and message) compared field by
// field, and each result also checked against the value it must have.
#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "engine/status_macros.h"
#include "tests/storage/dual_store.h"

namespace viewer::testing {
namespace {

using ::absl::StatusCode;
using ::testing::ElementsAre;

Value T(std::string s) { return Value::Text(std::move(s)); }
Value I(int64_t v) { return Value::Integer(v); }
Value B(std::string s) { return Value::Blob(std::move(s)); }
Value Bool(bool v) { return Value::Boolean(v); }
Value At(Timestamp t) { return Value::Time(t); }

constexpr Timestamp kStart{1'700'000'000'000'000};  // the harness clock

// Position of `column` in `table` (AppCatalog()).
size_t Col(absl::string_view table, absl::string_view column) {
  const TableSchema* t = AppCatalog().Find(table);
  EXPECT_NE(t, nullptr) << table;
  std::optional<size_t> c = t ? t->Find(column) : std::nullopt;
  EXPECT_TRUE(c.has_value()) << table << "." << column;
  return c.value_or(0);
}

// The text of `column` in each row.
std::vector<std::string> Texts(const std::vector<Row>& rows,
                               absl::string_view table,
                               absl::string_view column) {
  std::vector<std::string> out;
  const size_t c = Col(table, column);
  for (const Row& r : rows) {
    out.push_back(r[c].is_null() ? "<NULL>" : std::string(r[c].bytes()));
  }
  return out;
}

std::vector<int64_t> Ids(const std::vector<Row>& rows) {
  std::vector<int64_t> out;
  for (const Row& r : rows) out.push_back(r.id());
  return out;
}

Query Q(std::vector<Filter> where, std::vector<Order> order = {},
        std::optional<int64_t> limit = std::nullopt, int64_t offset = 0) {
  Query q;
  q.where = std::move(where);
  q.order_by = std::move(order);
  q.limit = limit;
  q.offset = offset;
  return q;
}

Order Asc(std::string c) { return Order{std::move(c), false}; }
Order Desc(std::string c) { return Order{std::move(c), true}; }

class Phase3 : public DualStoreTest {
 protected:
  // Inserts one row into both stores, each in its own committed
  // transaction; expects the same id (or error) from both.
  Both<absl::StatusOr<int64_t>> Add(const std::string& table,
                                    Assignments values) {
    auto r =
        OnBoth([&](Transaction& txn) { return txn.Insert(table, values); });
    ExpectSame(r);
    return r;
  }
  // Inserts and expects success with id `want` on both.
  void AddOk(const std::string& table, Assignments values, int64_t want) {
    auto r = Add(table, std::move(values));
    EXPECT_TRUE(r.memory.ok()) << r.memory.status();
    if (r.memory.ok()) {
      EXPECT_EQ(*r.memory, want);
    }
  }
  Both<absl::StatusOr<std::vector<Row>>> Select(const std::string& table,
                                                const Query& q) {
    auto r = ReadBoth([&](Transaction& txn) { return txn.Select(table, q); });
    ExpectSame(r);
    return r;
  }
  Both<absl::StatusOr<Row>> Get(const std::string& table, int64_t id) {
    auto r = ReadBoth([&](Transaction& txn) { return txn.Get(table, id); });
    ExpectSame(r);
    return r;
  }
  Both<absl::StatusOr<int64_t>> Count(const std::string& table,
                                      std::vector<Filter> where = {}) {
    auto r =
        ReadBoth([&](Transaction& txn) { return txn.Count(table, where); });
    ExpectSame(r);
    return r;
  }
  // Every table of one store, for "nothing changed" checks.
  std::vector<std::vector<Row>> Snapshot(StoreHarness& h) {
    std::vector<std::vector<Row>> out;
    auto txn = h.Read();
    for (const TableSchema& t : AppCatalog().tables()) {
      auto rows = txn->Select(t.name(), Query{});
      EXPECT_TRUE(rows.ok()) << rows.status();
      out.push_back(rows.ok() ? *rows : std::vector<Row>{});
    }
    return out;
  }
  // Expects `op`, run on both stores, to fail with `code` and `message`
  // and to leave both stores exactly as they were.
  template <typename Fn>
  void ExpectRejected(Fn op, StatusCode code, const std::string& message) {
    auto before_m = Snapshot(memory_);
    auto before_d = Snapshot(disk_);
    auto r = OnBoth([&](Transaction& txn) -> absl::Status {
      auto result = op(txn);
      return ::viewer::testing::GetStatus(result);
    });
    ExpectSame(r);
    EXPECT_THAT(r.memory, StatusIs(code, message));
    EXPECT_EQ(Snapshot(memory_), before_m);
    EXPECT_EQ(Snapshot(disk_), before_d);
  }

  static Assignments Entity(const std::string& name, const std::string& def) {
    return {{"name", T(name)}, {"definition", T(def)}};
  }
};

// ---------------------------------------------------------------- server

TEST_F(Phase3, ServerCreateGivesTheSameWholeRow) {
  AddOk("server", Entity("test-server", "test definition"), 1);
  auto r = Get("server", 1);
  ASSERT_OK(r.memory);
  EXPECT_EQ(*r.memory, (Row{{I(1), T("test-server"), T("test definition"),
                             Value(), At(kStart), At(kStart), Bool(true)}}));
  ExpectSameContents();
}

TEST_F(Phase3, ServerQueryCountFilterAndOrder) {
  AddOk("server", {{"name", T("server-c")}, {"definition", T("def c")}}, 1);
  AddOk("server",
        {{"name", T("server-b")},
         {"definition", T("def b")},
         {"enabled", Bool(false)}},
        2);
  AddOk("server", {{"name", T("server-a")}, {"definition", T("def a")}}, 3);

  auto all = Count("server");
  EXPECT_EQ(all.memory.value_or(-1), 3);
  auto enabled = Count("server", {Filter::Eq("enabled", Bool(true))});
  EXPECT_EQ(enabled.memory.value_or(-1), 2);

  auto by_name = Select("server", Q({}, {Asc("name")}));
  ASSERT_OK(by_name.memory);
  EXPECT_THAT(Texts(*by_name.memory, "server", "name"),
              ElementsAre("server-a", "server-b", "server-c"));
  auto desc = Select("server", Q({}, {Desc("name")}));
  ASSERT_OK(desc.memory);
  EXPECT_THAT(Ids(*desc.memory), ElementsAre(1, 2, 3));
  auto disabled = Select("server", Q({Filter::Eq("enabled", Bool(false))}));
  ASSERT_OK(disabled.memory);
  EXPECT_THAT(Texts(*disabled.memory, "server", "name"),
              ElementsAre("server-b"));
  auto page = Select("server", Q({}, {Asc("name")}, 1, 1));
  ASSERT_OK(page.memory);
  EXPECT_THAT(Texts(*page.memory, "server", "definition"),
              ElementsAre("def b"));
  auto first = Select("server",
                      Q({Filter::Gt("name", T("server-a"))}, {Asc("name")}, 1));
  ASSERT_OK(first.memory);
  EXPECT_THAT(Ids(*first.memory), ElementsAre(2));
  ExpectSameContents();
}

TEST_F(Phase3, ServerUpdateChangesDefinitionAndUpdatedAt) {
  AddOk("server", Entity("update-test", "original"), 1);
  Advance(absl::Seconds(90));
  auto u = OnBoth([](Transaction& txn) {
    return txn.Update("server", 1, {{"definition", T("updated")}});
  });
  ExpectSame(u);
  EXPECT_OK(u.memory);
  auto r = Get("server", 1);
  ASSERT_OK(r.memory);
  const Timestamp later{kStart.micros + 90'000'000};
  EXPECT_EQ(*r.memory, (Row{{I(1), T("update-test"), T("updated"), Value(),
                             At(kStart), At(later), Bool(true)}}));
  // Updating a missing row is the same error on both.
  auto missing = OnBoth([](Transaction& txn) {
    return txn.Update("server", 42, {{"definition", T("x")}});
  });
  ExpectSame(missing);
  EXPECT_THAT(missing.memory,
              StatusIs(StatusCode::kNotFound, "no row with id 42 in server"));
  ExpectSameContents();
}

TEST_F(Phase3, ServerDeleteRemovesTheRow) {
  AddOk("server", Entity("keep", "k"), 1);
  AddOk("server", Entity("delete-test", "to delete"), 2);
  auto d = OnBoth([](Transaction& txn) { return txn.Delete("server", 2); });
  ExpectSame(d);
  EXPECT_OK(d.memory);
  auto gone = Count("server", {Filter::Eq("name", T("delete-test"))});
  EXPECT_EQ(gone.memory.value_or(-1), 0);
  auto get = Get("server", 2);
  EXPECT_THAT(get.memory,
              StatusIs(StatusCode::kNotFound, "no row with id 2 in server"));
  auto again = OnBoth([](Transaction& txn) { return txn.Delete("server", 2); });
  ExpectSame(again);
  EXPECT_THAT(again.memory, StatusIs(StatusCode::kNotFound));
  auto where = OnBoth([](Transaction& txn) {
    return txn.DeleteWhere("server", {Filter::Prefix("name", T("ke"))});
  });
  ExpectSame(where);
  EXPECT_EQ(where.memory.value_or(-1), 1);
  EXPECT_EQ(Count("server").memory.value_or(-1), 0);
  ExpectSameContents();
}

TEST_F(Phase3, ServerNameIsUnique) {
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
  EXPECT_OK(self.memory);
  ExpectSameContents();
}

TEST_F(Phase3, TakenExplicitIdIsAUniqueViolationOnId) {
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

TEST_F(Phase3, ServerNotNullViolations) {
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

TEST_F(Phase3, AliasCreateWithAndWithoutDefinition) {
  AddOk("alias", Entity("test-alias", "/api/test"), 1);
  AddOk("alias", {{"name", T("bare")}}, 2);
  auto rows = Select("alias", Q({}));
  ASSERT_OK(rows.memory);
  EXPECT_EQ(*rows.memory,
            (std::vector<Row>{Row{{I(1), T("test-alias"), T("/api/test"),
                                   At(kStart), At(kStart), Bool(true)}},
                              Row{{I(2), T("bare"), Value(), At(kStart),
                                   At(kStart), Bool(true)}}}));
  ExpectSameContents();
}

TEST_F(Phase3, AliasOrderingByNameIsBytewise) {
  int64_t id = 1;
  for (const char* name : {"z-alias", "a-alias", "m-alias", "B-alias",
                           "\xc3\xa4-alias", "a-alias-2"}) {
    AddOk("alias", {{"name", T(name)}, {"definition", T("/x")}}, id++);
  }
  auto rows = Select("alias", Q({}, {Asc("name")}));
  ASSERT_OK(rows.memory);
  // Uppercase sorts before lowercase; a multibyte letter after ASCII.
  EXPECT_THAT(Texts(*rows.memory, "alias", "name"),
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

TEST_F(Phase3, VariableCreateAndFindByName) {
  AddOk("variable", Entity("TEST_VAR", "test_value"), 1);
  AddOk("variable", Entity("OTHER", "x"), 2);
  auto found = Select("variable", Q({Filter::Eq("name", T("TEST_VAR"))}));
  ASSERT_OK(found.memory);
  EXPECT_EQ(*found.memory,
            (std::vector<Row>{Row{{I(1), T("TEST_VAR"), T("test_value"),
                                   At(kStart), At(kStart), Bool(true)}}}));
  ExpectSameContents();
}

TEST_F(Phase3, VariableUniqueConstraintFailsOnlyTheStatement) {
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
  EXPECT_EQ(r.memory.value_or(""), "UNIQUE constraint failed: variable.name");
  auto rows = Select("variable", Q({}, {Asc("name")}));
  ASSERT_OK(rows.memory);
  EXPECT_THAT(Texts(*rows.memory, "variable", "definition"),
              ElementsAre("n", "first"));
  EXPECT_THAT(Ids(*rows.memory), ElementsAre(2, 1));
  ExpectSameContents();
}

TEST_F(Phase3, VariableRenameFreesTheOldName) {
  AddOk("variable", Entity("OLD", "v"), 1);
  auto r = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(txn.Update("variable", 1, {{"name", T("NEW")}}));
    return txn.Insert("variable", Entity("OLD", "reused")).status();
  });
  ExpectSame(r);
  EXPECT_OK(r.memory);
  auto rows = Select("variable", Q({}, {Asc("name")}));
  ASSERT_OK(rows.memory);
  EXPECT_THAT(Texts(*rows.memory, "variable", "name"),
              ElementsAre("NEW", "OLD"));
  EXPECT_THAT(Ids(*rows.memory), ElementsAre(1, 2));
  ExpectSameContents();
}

// ---------------------------------------------------------------- secret

TEST_F(Phase3, SecretCreateUniqueAndDisable) {
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
  EXPECT_EQ(off.memory.value_or(-1), 1);
  auto r = Get("secret", 2);
  ASSERT_OK(r.memory);
  EXPECT_EQ(*r.memory,
            (Row{{I(2), T("DB_PASS"), T("hunter2"), At(kStart),
                  At(Timestamp{kStart.micros + 1000}), Bool(false)}}));
  EXPECT_EQ(
      Count("secret", {Filter::Eq("enabled", Bool(true))}).memory.value_or(-1),
      1);
  ExpectSameContents();
}

// ------------------------------------------------------------------- cid

TEST_F(Phase3, CidCreateAndFindByPrefix) {
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
  ASSERT_OK(r.memory);
  EXPECT_EQ(*r.memory,
            (Row{{I(1), T("/AAAAAAAFaGVsbG8"), B("hello"), I(5), At(kStart)}}));
  // Prefix search is case-sensitive.
  auto found = Select("cid", Q({Filter::Prefix("path", T("/AAAA"))}));
  ASSERT_OK(found.memory);
  EXPECT_THAT(Ids(*found.memory), ElementsAre(1));
  auto none = Select("cid", Q({Filter::Prefix("path", T("/AAAb"))}));
  ASSERT_OK(none.memory);
  EXPECT_TRUE(none.memory->empty());
  ExpectSameContents();
}

TEST_F(Phase3, CidBinaryDataWithAllByteValues) {
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
  ASSERT_OK(rows.memory);
  ASSERT_EQ(rows.memory->size(), 1u);
  EXPECT_EQ((*rows.memory)[0][Col("cid", "file_data")], B(bytes));
  // Blobs compare bytewise, in filters and in order.
  auto by_data = Select("cid", Q({Filter::Eq("file_data", B(reversed))}));
  ASSERT_OK(by_data.memory);
  EXPECT_THAT(Ids(*by_data.memory), ElementsAre(2));
  auto prefix = Select(
      "cid", Q({Filter::Prefix("file_data", B(std::string("\0\x01", 2)))}));
  ASSERT_OK(prefix.memory);
  EXPECT_THAT(Ids(*prefix.memory), ElementsAre(1));
  auto ordered = Select("cid", Q({}, {Asc("file_data")}));
  ASSERT_OK(ordered.memory);
  EXPECT_THAT(Ids(*ordered.memory), ElementsAre(3, 1, 2));
  // An empty blob is not NULL.
  EXPECT_EQ(Count("cid", {Filter::IsNull("file_data")}).memory.value_or(-1), 0);
  ExpectSameContents();
}

TEST_F(Phase3, CidLargeBlob) {
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
  ASSERT_OK(r.memory);
  EXPECT_EQ((*r.memory)[Col("cid", "file_data")].blob().size(), 1'000'000u);
  EXPECT_TRUE((*r.memory)[Col("cid", "file_data")].blob() == large);
  auto total =
      ReadBoth([](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(total);
  EXPECT_EQ(total.memory.value_or(Value()), I(1'000'000));
  ExpectSameContents();
}

TEST_F(Phase3, CidPathIsUniqueAndDataRequired) {
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
  ASSERT_OK(r.memory);
  EXPECT_TRUE((*r.memory)[Col("cid", "file_size")].is_null());
  ExpectSameContents();
}

// ------------------------------------------------------------- page_view

TEST_F(Phase3, PageViewCreateWithDefaults) {
  AddOk("page_view",
        {{"path", T("/test/page")},
         {"method", T("GET")},
         {"user_agent", T("TestAgent/1.0")},
         {"ip_address", T("192.168.1.1")}},
        1);
  Advance(absl::Microseconds(7));
  AddOk("page_view", {{"path", T("/bare")}}, 2);
  auto rows = Select("page_view", Q({}));
  ASSERT_OK(rows.memory);
  EXPECT_EQ(
      *rows.memory,
      (std::vector<Row>{Row{{I(1), T("/test/page"), T("GET"),
                             T("TestAgent/1.0"), T("192.168.1.1"), At(kStart)}},
                        Row{{I(2), T("/bare"), T("GET"), Value(), Value(),
                             At(Timestamp{kStart.micros + 7})}}}));
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("page_view", {{"method", T("POST")}});
      },
      StatusCode::kInvalidArgument,
      "NOT NULL constraint failed: page_view.path");
  ExpectSameContents();
}

TEST_F(Phase3, PageViewAggregation) {
  int64_t id = 1;
  for (auto [path, method] :
       std::vector<std::pair<const char*, const char*>>{{"/page1", "GET"},
                                                        {"/page1", "GET"},
                                                        {"/page2", "POST"},
                                                        {"/page1", "GET"},
                                                        {"/page3", "GET"},
                                                        {"/page2", "GET"}}) {
    AddOk("page_view", {{"path", T(path)}, {"method", T(method)}}, id++);
  }
  auto by_path = ReadBoth(
      [](Transaction& txn) { return txn.CountBy("page_view", "path"); });
  ExpectSame(by_path);
  ASSERT_OK(by_path.memory);
  EXPECT_THAT(*by_path.memory, ElementsAre(GroupCount{T("/page1"), 3},
                                           GroupCount{T("/page2"), 2},
                                           GroupCount{T("/page3"), 1}));
  auto distinct = ReadBoth(
      [](Transaction& txn) { return txn.CountDistinct("page_view", "path"); });
  ExpectSame(distinct);
  EXPECT_EQ(distinct.memory.value_or(-1), 3);
  auto get_only = ReadBoth([](Transaction& txn) {
    return txn.CountBy("page_view", "path", {Filter::Eq("method", T("GET"))});
  });
  ExpectSame(get_only);
  ASSERT_OK(get_only.memory);
  EXPECT_THAT(*get_only.memory, ElementsAre(GroupCount{T("/page1"), 3},
                                            GroupCount{T("/page2"), 1},
                                            GroupCount{T("/page3"), 1}));
  auto methods = ReadBoth(
      [](Transaction& txn) { return txn.CountBy("page_view", "method"); });
  ExpectSame(methods);
  ASSERT_OK(methods.memory);
  EXPECT_THAT(*methods.memory,
              ElementsAre(GroupCount{T("GET"), 5}, GroupCount{T("POST"), 1}));
  ExpectSameContents();
}

TEST_F(Phase3, PageViewPopularPathsAndNewestFirstPages) {
  const std::vector<const char*> paths = {"/b", "/a", "/c", "/a", "/b",
                                          "/d", "/a", "/c", "/b"};
  int64_t id = 1;
  for (const char* p : paths) {
    AddOk("page_view", {{"path", T(p)}}, id++);
    Advance(absl::Seconds(1));
  }
  // Popular paths: CountBy, then most views first, ties by path.
  auto groups = ReadBoth(
      [](Transaction& txn) { return txn.CountBy("page_view", "path"); });
  ExpectSame(groups);
  ASSERT_OK(groups.memory);
  std::vector<GroupCount> popular = *groups.memory;
  std::stable_sort(popular.begin(), popular.end(),
                   [](const GroupCount& a, const GroupCount& b) {
                     return a.count > b.count;
                   });
  EXPECT_THAT(popular,
              ElementsAre(GroupCount{T("/a"), 3}, GroupCount{T("/b"), 3},
                          GroupCount{T("/c"), 2}, GroupCount{T("/d"), 1}));
  // Paginate newest first: page 2 of size 3.
  auto page = Select("page_view", Q({}, {Desc("viewed_at")}, 3, 3));
  ASSERT_OK(page.memory);
  EXPECT_THAT(Ids(*page.memory), ElementsAre(6, 5, 4));
  auto last = Select("page_view", Q({}, {Desc("viewed_at")}, 3, 8));
  ASSERT_OK(last.memory);
  EXPECT_THAT(Ids(*last.memory), ElementsAre(1));
  ExpectSameContents();
}

TEST_F(Phase3, PrefixIsCaseSensitiveWithOrWithoutAnIndex) {
  // page_view.path and user_agent have no index; server.name has one.
  int64_t id = 1;
  for (auto [path, agent] : std::vector<std::pair<const char*, const char*>>{
           {"/Docs", "Mozilla/5.0"},
           {"/docs", "mozilla/4.0"},
           {"/DOCS/x", "MOZILLA"},
           {"/d", "Mozill"}}) {
    AddOk("page_view", {{"path", T(path)}, {"user_agent", T(agent)}}, id++);
  }
  AddOk("server", Entity("Abc", "x"), 1);
  AddOk("server", Entity("abc", "y"), 2);
  AddOk("server", Entity("ABC", "z"), 3);
  auto agents =
      Select("page_view", Q({Filter::Prefix("user_agent", T("Mozilla"))}));
  ASSERT_OK(agents.memory);
  EXPECT_THAT(Ids(*agents.memory), ElementsAre(1));
  auto paths = Count("page_view", {Filter::Prefix("path", T("/do"))});
  EXPECT_EQ(paths.memory.value_or(-1), 1);
  auto names = Select("server", Q({Filter::Prefix("name", T("ab"))}));
  ASSERT_OK(names.memory);
  EXPECT_THAT(Ids(*names.memory), ElementsAre(2));
  auto defs = Count("server", {Filter::Prefix("definition", T("X"))});
  EXPECT_EQ(defs.memory.value_or(-1), 0);
  auto upd = OnBoth([](Transaction& txn) {
    return txn.UpdateWhere("page_view", {Filter::Prefix("path", T("/DOCS"))},
                           {{"method", T("POST")}});
  });
  ExpectSame(upd);
  EXPECT_EQ(upd.memory.value_or(-1), 1);
  auto del = OnBoth([](Transaction& txn) {
    return txn.DeleteWhere("server", {Filter::Prefix("name", T("A"))});
  });
  ExpectSame(del);
  EXPECT_EQ(del.memory.value_or(-1), 2);
  ExpectSameContents();
}

// --------------------------------------------------- entity_interactions

TEST_F(Phase3, InteractionsRecordAndListNewestFirst) {
  auto add = [&](const char* type, const char* name, const char* action,
                 Value message, int64_t want) {
    AddOk("entity_interactions",
          {{"entity_type", T(type)},
           {"entity_name", T(name)},
           {"action", T(action)},
           {"message", std::move(message)},
           {"content", T("{\"key\": \"value\"}")}},
          want);
  };
  add("Server", "test-server", "create", T("Server created"), 1);
  Advance(absl::Seconds(1));
  add("Alias", "test-server", "create", Value(), 2);
  add("Server", "test-server", "save", T("saved"), 3);  // same instant as 2
  Advance(absl::Seconds(1));
  add("Server", "other", "create", T("x"), 4);

  auto recent = Select("entity_interactions", Q({}, {Desc("created_at")}, 3));
  ASSERT_OK(recent.memory);
  EXPECT_THAT(Ids(*recent.memory), ElementsAre(4, 2, 3));
  auto for_entity = Select("entity_interactions",
                           Q({Filter::Eq("entity_type", T("Server")),
                              Filter::Eq("entity_name", T("test-server"))},
                             {Desc("created_at")}));
  ASSERT_OK(for_entity.memory);
  EXPECT_THAT(Texts(*for_entity.memory, "entity_interactions", "action"),
              ElementsAre("save", "create"));
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("entity_interactions", {{"entity_type", T("Server")},
                                                  {"entity_name", T("n")},
                                                  {"action", T("a")}});
      },
      StatusCode::kInvalidArgument,
      "NOT NULL constraint failed: entity_interactions.content");
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("entity_interactions", {{"entity_type", T("Server")},
                                                  {"entity_name", T("n")},
                                                  {"action", T("a")},
                                                  {"content", T("c")},
                                                  {"created_at", Value()}});
      },
      StatusCode::kInvalidArgument,
      "NOT NULL constraint failed: entity_interactions.created_at");
  ExpectSameContents();
}

// ----------------------------------------------------- server_invocation

TEST_F(Phase3, InvocationsCreateAndLookUpByCids) {
  AddOk("server_invocation",
        {{"server_name", T("test-server")},
         {"result_cid", T("/cid/result123")},
         {"servers_cid", T("/cid/servers456")},
         {"variables_cid", T("/cid/vars789")},
         {"secrets_cid", T("/cid/secrets012")},
         {"request_details_cid", T("/cid/request345")},
         {"invocation_cid", T("/cid/invoke678")}},
        1);
  Advance(absl::Seconds(2));
  AddOk("server_invocation",
        {{"server_name", T("test-server")}, {"result_cid", T("/cid/r2")}}, 2);
  AddOk("server_invocation",
        {{"server_name", T("other")},
         {"result_cid", T("/cid/result123")},
         {"external_calls_cid", T("/cid/ext")}},
        3);
  auto r = Get("server_invocation", 1);
  ASSERT_OK(r.memory);
  EXPECT_EQ(*r.memory, (Row{{I(1), T("test-server"), T("/cid/result123"),
                             T("/cid/servers456"), T("/cid/vars789"),
                             T("/cid/secrets012"), T("/cid/request345"),
                             T("/cid/invoke678"), Value(), At(kStart)}}));
  auto by_server = Select(
      "server_invocation",
      Q({Filter::Eq("server_name", T("test-server"))}, {Desc("invoked_at")}));
  ASSERT_OK(by_server.memory);
  EXPECT_THAT(Ids(*by_server.memory), ElementsAre(2, 1));
  auto by_result = Select(
      "server_invocation",
      Q({Filter::In("result_cid", {T("/cid/result123"), T("/cid/none")})}));
  ASSERT_OK(by_result.memory);
  EXPECT_THAT(Ids(*by_result.memory), ElementsAre(1, 3));
  auto by_invocation =
      Select("server_invocation",
             Q({Filter::Eq("invocation_cid", T("/cid/invoke678"))}));
  ASSERT_OK(by_invocation.memory);
  EXPECT_THAT(Ids(*by_invocation.memory), ElementsAre(1));
  ExpectRejected(
      [](Transaction& txn) {
        return txn.Insert("server_invocation", {{"server_name", T("s")}});
      },
      StatusCode::kInvalidArgument,
      "NOT NULL constraint failed: server_invocation.result_cid");
  ExpectSameContents();
}

// ---------------------------------------------------------------- export

TEST_F(Phase3, ExportsRecordAndList) {
  AddOk("export", {{"cid", T("/cid/export123")}}, 1);
  Advance(absl::Minutes(5));
  AddOk("export", {{"cid", T("/cid/export456")}}, 2);
  AddOk("export", {{"cid", T("/cid/export123")}}, 3);  // not unique
  auto rows = Select("export", Q({}, {Desc("created_at")}));
  ASSERT_OK(rows.memory);
  const Timestamp later{kStart.micros + 300'000'000};
  EXPECT_EQ(*rows.memory,
            (std::vector<Row>{Row{{I(2), T("/cid/export456"), At(later)}},
                              Row{{I(3), T("/cid/export123"), At(later)}},
                              Row{{I(1), T("/cid/export123"), At(kStart)}}}));
  EXPECT_EQ(Count("export", {Filter::Eq("cid", T("/cid/export123"))})
                .memory.value_or(-1),
            2);
  ExpectRejected([](Transaction& txn) { return txn.Insert("export", {}); },
                 StatusCode::kInvalidArgument,
                 "NOT NULL constraint failed: export.cid");
  ExpectSameContents();
}

// ------------------------------------------------------------ all tables

TEST_F(Phase3, IdsAreMaxPlusOneAndReusedAfterDeletingTheHighest) {
  for (int64_t i = 1; i <= 3; ++i) {
    AddOk("export", {{"cid", T("/e" + std::to_string(i))}}, i);
  }
  auto d = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(txn.Delete("export", 3));
    return txn.Delete("export", 1);
  });
  ExpectSame(d);
  EXPECT_OK(d.memory);
  // 3 was the highest and is used again; 1 is not, as in SQLite.
  AddOk("export", {{"cid", T("/again")}}, 3);
  AddOk("export", {{"cid", T("/next")}}, 4);
  ExpectSameContents();
}

TEST_F(Phase3, EveryTableInOneTransaction) {
  auto r = OnBoth([](Transaction& txn) -> absl::Status {
    VIEWER_RETURN_IF_ERROR(
        txn.Insert("cid", {{"path", T("/c")}, {"file_data", B("d")}}).status());
    VIEWER_RETURN_IF_ERROR(
        txn.Insert("page_view", {{"path", T("/")}}).status());
    VIEWER_RETURN_IF_ERROR(txn.Insert("server", Entity("s", "d")).status());
    VIEWER_RETURN_IF_ERROR(txn.Insert("alias", {{"name", T("a")}}).status());
    VIEWER_RETURN_IF_ERROR(
        txn.Insert("entity_interactions", {{"entity_type", T("server")},
                                           {"entity_name", T("s")},
                                           {"action", T("create")},
                                           {"content", T("d")}})
            .status());
    VIEWER_RETURN_IF_ERROR(txn.Insert("variable", Entity("v", "1")).status());
    VIEWER_RETURN_IF_ERROR(txn.Insert("secret", Entity("k", "2")).status());
    VIEWER_RETURN_IF_ERROR(
        txn.Insert("server_invocation",
                   {{"server_name", T("s")}, {"result_cid", T("/r")}})
            .status());
    return txn.Insert("export", {{"cid", T("/c")}}).status();
  });
  ExpectSame(r);
  EXPECT_OK(r.memory);
  for (const TableSchema& t : AppCatalog().tables()) {
    auto n = Count(t.name());
    EXPECT_EQ(n.memory.value_or(-1), 1) << t.name();
  }
  auto stats = Both<absl::StatusOr<StoreStats>>{memory_.store().Stats(),
                                                disk_.store().Stats()};
  ASSERT_OK(stats.memory);
  ASSERT_OK(stats.disk);
  ASSERT_EQ(stats.memory->tables.size(), stats.disk->tables.size());
  for (size_t i = 0; i < stats.memory->tables.size(); ++i) {
    EXPECT_EQ(stats.memory->tables[i].table, stats.disk->tables[i].table);
    EXPECT_EQ(stats.memory->tables[i].rows, stats.disk->tables[i].rows);
  }
  ExpectSameContents();
}

TEST_F(Phase3, OrderByTwoColumnsAndFilterOnId) {
  AddOk("server", Entity("d", "1"), 1);
  AddOk("server",
        {{"name", T("c")}, {"definition", T("2")}, {"enabled", Bool(false)}},
        2);
  AddOk("server", Entity("b", "1"), 3);
  AddOk("server",
        {{"name", T("a")}, {"definition", T("2")}, {"enabled", Bool(false)}},
        4);
  auto rows = Select("server", Q({}, {Desc("enabled"), Asc("name")}));
  ASSERT_OK(rows.memory);
  EXPECT_THAT(Ids(*rows.memory), ElementsAre(3, 1, 4, 2));
  auto by_def = Select("server", Q({}, {Asc("definition"), Desc("name")}));
  ASSERT_OK(by_def.memory);
  EXPECT_THAT(Ids(*by_def.memory), ElementsAre(1, 3, 2, 4));
  auto ids =
      Select("server",
             Q({Filter::Gt("id", I(1)), Filter::Ne("id", I(3))}, {Desc("id")}));
  ASSERT_OK(ids.memory);
  EXPECT_THAT(Ids(*ids.memory), ElementsAre(4, 2));
  auto in = Select("server", Q({Filter::In("id", {I(4), I(1), I(99)})}));
  ASSERT_OK(in.memory);
  EXPECT_THAT(Ids(*in.memory), ElementsAre(1, 4));
  auto by_enabled = ReadBoth(
      [](Transaction& txn) { return txn.CountBy("server", "enabled"); });
  ExpectSame(by_enabled);
  ASSERT_OK(by_enabled.memory);
  EXPECT_THAT(*by_enabled.memory, ElementsAre(GroupCount{Bool(false), 2},
                                              GroupCount{Bool(true), 2}));
  // Moving rows out of the range being updated (the "Halloween" case).
  auto moved = OnBoth([](Transaction& txn) {
    return txn.UpdateWhere("server", {Filter::Ge("name", T("b"))},
                           {{"name", T("zz")}, {"enabled", Bool(true)}});
  });
  ExpectSame(moved);
  EXPECT_THAT(moved.memory, StatusIs(StatusCode::kAlreadyExists,
                                     "UNIQUE constraint failed: server.name"));
  auto one = OnBoth([](Transaction& txn) {
    return txn.UpdateWhere("server", {Filter::Ge("name", T("d"))},
                           {{"name", T("e")}});
  });
  ExpectSame(one);
  EXPECT_EQ(one.memory.value_or(-1), 1);
  ExpectSameContents();
}

// Id ranges that select nothing, or run past either end of the table,
// in both directions.
TEST_F(Phase3, EmptyAndOutOfRangeIdRanges) {
  for (int64_t i = 1; i <= 4; ++i) {
    AddOk("export", {{"cid", T("/e" + std::to_string(i))}}, i);
  }
  using Filters = std::vector<Filter>;
  const std::vector<std::pair<Filters, std::vector<int64_t>>> cases = {
      {{Filter::Gt("id", I(10)), Filter::Lt("id", I(3))}, {}},
      {{Filter::Gt("id", I(3)), Filter::Lt("id", I(2))}, {}},
      {{Filter::Gt("id", I(2)), Filter::Lt("id", I(3))}, {}},
      {{Filter::Ge("id", I(3)), Filter::Le("id", I(3))}, {3}},
      {{Filter::Gt("id", I(10))}, {}},
      {{Filter::Lt("id", I(1))}, {}},
      {{Filter::Ge("id", I(-5)), Filter::Le("id", I(99))}, {1, 2, 3, 4}},
  };
  for (const auto& [where, want] : cases) {
    for (bool desc : {false, true}) {
      std::string trace;
      for (const Filter& f : where) trace += f.DebugString() + " ";
      SCOPED_TRACE(trace + (desc ? "DESC" : "ASC"));
      auto rows = Select("export", Q(where, {Order{"id", desc}}));
      ASSERT_OK(rows.memory);
      std::vector<int64_t> expected = want;
      if (desc) std::reverse(expected.begin(), expected.end());
      EXPECT_EQ(Ids(*rows.memory), expected);
      EXPECT_EQ(Count("export", where).memory.value_or(-1),
                static_cast<int64_t>(want.size()));
    }
  }
  ExpectSameContents();
}

class Phase3Limits : public Phase3 {
 protected:
  static constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  // page_view rows 1-5 with user agents e c a d b. user_agent has no index
  // (the memory engine collects and sorts); viewed_at has one (it walks
  // the index in order).
  void AddViews() {
    int64_t id = 1;
    for (const char* agent : {"e", "c", "a", "d", "b"}) {
      AddOk("page_view", {{"path", T("/")}, {"user_agent", T(agent)}}, id++);
    }
  }
};

TEST_F(Phase3Limits, ZeroLimitBigOffsetAndNegatives) {
  AddViews();
  for (const char* column : {"user_agent", "viewed_at"}) {
    SCOPED_TRACE(column);
    auto none = Select("page_view", Q({}, {Asc(column)}, 0));
    ASSERT_OK(none.memory);
    EXPECT_TRUE(none.memory->empty());
    auto big_offset = Select("page_view", Q({}, {Desc(column)}, 1, kMax));
    ASSERT_OK(big_offset.memory);
    EXPECT_TRUE(big_offset.memory->empty());
    auto past_end = Select("page_view", Q({}, {Asc(column)}, std::nullopt, 5));
    ASSERT_OK(past_end.memory);
    EXPECT_TRUE(past_end.memory->empty());
    auto page = Select("page_view", Q({}, {Asc(column)}, 2, 1));
    ASSERT_OK(page.memory);
    EXPECT_EQ(page.memory->size(), 2u);
  }
  auto negative = Select("page_view", Q({}, {}, -1));
  EXPECT_THAT(negative.memory, StatusIs(StatusCode::kInvalidArgument,
                                        "LIMIT must not be negative"));
  auto neg_offset = Select("page_view", Q({}, {}, std::nullopt, -1));
  EXPECT_THAT(neg_offset.memory, StatusIs(StatusCode::kInvalidArgument,
                                          "OFFSET must not be negative"));
  ExpectSameContents();
}

TEST_F(Phase3Limits, HugeLimitWithAnOffsetOnAnIndexWalk) {
  AddViews();
  auto rest = Select("page_view", Q({}, {Asc("viewed_at")}, kMax, 1));
  ASSERT_OK(rest.memory);
  EXPECT_THAT(Ids(*rest.memory), ElementsAre(2, 3, 4, 5));
  ExpectSameContents();
}

// "No limit" spelled as INT64_MAX with an offset, where rows must be
// sorted: SQLite returns the rows after the offset.
TEST_F(Phase3Limits, HugeLimitWithAnOffsetOnASortedQuery) {
  AddViews();
  auto rest = Select("page_view", Q({}, {Asc("user_agent")}, kMax, 3));
  ASSERT_OK(rest.memory);
  EXPECT_THAT(Texts(*rest.memory, "page_view", "user_agent"),
              ElementsAre("d", "e"));
  ExpectSameContents();
}

TEST_F(Phase3, SumOverflowIsAnError) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  AddOk("cid",
        {{"path", T("/a")}, {"file_data", B("a")}, {"file_size", I(kMax)}}, 1);
  auto max =
      ReadBoth([](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(max);
  EXPECT_EQ(max.memory.value_or(Value()), I(kMax));
  AddOk("cid", {{"path", T("/b")}, {"file_data", B("b")}, {"file_size", I(1)}},
        2);
  auto over =
      ReadBoth([](Transaction& txn) { return txn.Sum("cid", "file_size"); });
  ExpectSame(over);
  EXPECT_THAT(over.memory,
              StatusIs(StatusCode::kOutOfRange, "integer overflow"));
  auto one = ReadBoth([](Transaction& txn) {
    return txn.Sum("cid", "file_size", {Filter::Eq("path", T("/b"))});
  });
  ExpectSame(one);
  EXPECT_EQ(one.memory.value_or(Value()), I(1));
  ExpectSameContents();
}

}  // namespace
}  // namespace viewer::testing
