// The packed layout of one table's row versions: a version is one malloc'd
// block holding a 16-byte header and the row's values in place.
//
//   RowFormat format(schema);
//   Cells cells;
//   format.CellsOf(row_values, &cells);
//   Version* v = RowFormat::Allocate(format.SizeFor(cells));
//   format.Encode(cells, v);
//   KeyRef name = format.Key(v, 1);      // no copy
//   Value note = format.Get(v, 2);       // one column, decoded
//   format.Free(v);
//
// Block layout, for a table with F INTEGER/TIMESTAMP columns (id is the
// first), B BLOB columns, L BOOLEAN columns and T TEXT columns:
//
//   [header: begin, end]                 16 bytes (version.h)
//   [fixed: F x 8 bytes]                 integers, timestamps in micros
//   [blobs: B x Value::BlobRef]          shared, never copied
//   [format byte]                        w, the width of a text end: 1, 2, 4
//   [bits]                               a NULL bit per column after id,
//                                        a value bit per BOOLEAN column,
//                                        a "charged here" bit per BLOB column
//   [ends: T x w bytes]                  where each text's bytes end
//   [text bytes, one after another]        indexed columns' first
//
// w is the least width that holds the total text length, so a row of
// short texts spends one byte per text on lengths. A NULL value keeps its
// fixed slot (zero) or its empty text. "Charged here" marks the version
// that pays for a blob in the byte accounting: the oldest version holding
// that blob object (mvcc_table.h).
//
// Thread safety: a RowFormat is immutable. Reading a version's values is
// safe while it is not being written (the table latch sees to that).
#ifndef VIEWER_ENGINE_INTERNAL_ROW_FORMAT_H_
#define VIEWER_ENGINE_INTERNAL_ROW_FORMAT_H_

#include <cstdint>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/types/span.h"
#include "engine/internal/key_ref.h"
#include "engine/internal/version.h"
#include "engine/schema.h"
#include "engine/value.h"

namespace viewer::internal {

// One column's value on its way into a version: a view of it, and for a
// BLOB the reference to share. A view of a NULL has kind kNull.
struct Cell {
  KeyRef key;
  const Value::BlobRef* blob = nullptr;  // BLOB only
};
using Cells = absl::InlinedVector<Cell, 12>;

class RowFormat {
 public:
  explicit RowFormat(const TableSchema& schema);
  RowFormat(const RowFormat&) = delete;
  RowFormat& operator=(const RowFormat&) = delete;

  size_t columns() const { return slots_.size(); }
  size_t blob_count() const { return blob_columns_.size(); }
  // The column of the b-th BLOB.
  size_t blob_column(size_t b) const { return blob_columns_[b]; }

  // Views of a full row of values (one per column), or of a version.
  void CellsOf(const std::vector<Value>& row, Cells* out) const;
  void CellsOf(const Version* v, Cells* out) const;

  // Bytes a version holding `cells` needs, header included.
  size_t SizeFor(absl::Span<const Cell> cells) const;
  // Allocates an unwritten, 16-byte aligned block of at least `size` bytes
  // with a fresh header (begin kPending, end kInfinity).
  static Version* Allocate(size_t size);
  // Writes `cells` into `v`'s body, sharing the blobs; no blob is marked
  // charged. `v` must hold at least SizeFor(cells) bytes and its blob slots
  // must not be constructed (fresh, or after DestroyBlobs).
  void Encode(absl::Span<const Cell> cells, Version* v) const;
  // Copies the body of `from` into `to` (same rule as Encode for `to`),
  // charge bits included.
  void CopyBody(const Version* from, Version* to) const;
  // Ends the blob references of `v`'s body (not the charges).
  void DestroyBlobs(Version* v) const;
  // DestroyBlobs, then frees the block.
  void Free(Version* v) const;

  // Bytes of `v` in use (header included), and bytes it may hold.
  size_t ContentSize(const Version* v) const;
  static size_t Capacity(const Version* v);

  int64_t Id(const Version* v) const { return ReadFixed(v, 0); }
  bool IsNull(const Version* v, size_t column) const;
  // Column `column` of `v` in place; valid while `v` is unchanged.
  KeyRef Key(const Version* v, size_t column) const;
  // Column `column` of `v` as a Value (text copied, blob shared).
  Value Get(const Version* v, size_t column) const;
  // The whole row.
  std::vector<Value> Decode(const Version* v) const;

  const Value::BlobRef& Blob(const Version* v, size_t b) const;
  bool BlobCharged(const Version* v, size_t b) const;
  void SetBlobCharged(Version* v, size_t b, bool charged) const;

 private:
  // Where column c lives: its type and its position among its kind's
  // slots (fixed, blob, bool or text).
  struct Slot {
    ColumnType type;
    uint32_t index;
  };

  int64_t ReadFixed(const Version* v, size_t index) const;
  unsigned TextWidth(const Version* v) const;
  size_t TextEnd(const Version* v, unsigned width, size_t text) const;
  absl::string_view Text(const Version* v, size_t text) const;
  bool Bit(const Version* v, size_t bit) const;
  void SetBit(Version* v, size_t bit, bool on) const;
  size_t BoolBit(size_t index) const { return null_bits_ + index; }
  size_t ChargeBit(size_t b) const { return null_bits_ + bool_count_ + b; }
  size_t TextsOffset(unsigned width) const {
    return ends_offset_ + width * text_count_;
  }

  std::vector<Slot> slots_;
  std::vector<size_t> blob_columns_;
  std::vector<size_t> text_columns_;  // by text index
  size_t fixed_count_ = 0;
  size_t bool_count_ = 0;
  size_t text_count_ = 0;
  size_t null_bits_ = 0;  // columns after id
  // Byte offsets from the start of the block.
  size_t blob_offset_ = 0;
  size_t format_offset_ = 0;
  size_t bits_offset_ = 0;
  size_t ends_offset_ = 0;
};

}  // namespace viewer::internal

#endif  // VIEWER_ENGINE_INTERNAL_ROW_FORMAT_H_
