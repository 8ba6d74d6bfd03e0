#include "engine/internal/row_format.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <new>

namespace viewer::internal {
namespace {

using BlobRef = Value::BlobRef;

// Width of a text end: the least of 1, 2, 4 bytes holding `total`.
unsigned WidthFor(size_t total) {
  if (total <= 0xFF) return 1;
  if (total <= 0xFFFF) return 2;
  return 4;
}

unsigned WidthCode(unsigned width) { return width == 1 ? 0 : width == 2 ? 1 : 2; }
unsigned WidthOf(uint8_t code) { return 1u << (code & 3); }

}  // namespace

RowFormat::RowFormat(const TableSchema& schema) {
  size_t blobs = 0;
  for (size_t c = 0; c < schema.size(); ++c) {
    const ColumnType type = schema.column(c).type;
    uint32_t index = 0;
    switch (type) {
      case ColumnType::kInteger:
      case ColumnType::kTimestamp:
        index = static_cast<uint32_t>(fixed_count_++);
        break;
      case ColumnType::kBlob:
        index = static_cast<uint32_t>(blobs++);
        blob_columns_.push_back(c);
        break;
      case ColumnType::kBoolean:
        index = static_cast<uint32_t>(bool_count_++);
        break;
      case ColumnType::kText:
        ++text_count_;  // placed below
        break;
    }
    slots_.push_back({type, index});
  }
  // Indexed texts first: an index reads its key where the header is, so
  // that in most rows comparing with an entry touches one cache line.
  uint32_t text = 0;
  for (bool indexed : {true, false}) {
    for (size_t c = 0; c < schema.size(); ++c) {
      const Column& col = schema.column(c);
      if (col.type == ColumnType::kText &&
          (col.unique || col.indexed) == indexed) {
        slots_[c].index = text++;
        text_columns_.push_back(c);
      }
    }
  }
  null_bits_ = slots_.empty() ? 0 : slots_.size() - 1;
  const size_t bits = null_bits_ + bool_count_ + blobs;
  blob_offset_ = sizeof(Version) + 8 * fixed_count_;
  format_offset_ = blob_offset_ + sizeof(BlobRef) * blobs;
  bits_offset_ = format_offset_ + 1;
  ends_offset_ = bits_offset_ + (bits + 7) / 8;
}

void RowFormat::CellsOf(const std::vector<Value>& row, Cells* out) const {
  out->resize(row.size());
  for (size_t c = 0; c < row.size(); ++c) {
    (*out)[c].key = KeyRef::Of(row[c]);
    (*out)[c].blob =
        row[c].kind() == ValueKind::kBlob ? &row[c].blob_ref() : nullptr;
  }
}

void RowFormat::CellsOf(const Version* v, Cells* out) const {
  out->resize(slots_.size());
  for (size_t c = 0; c < slots_.size(); ++c) {
    (*out)[c].key = Key(v, c);
    (*out)[c].blob = nullptr;
    if (slots_[c].type == ColumnType::kBlob && !(*out)[c].key.is_null()) {
      (*out)[c].blob = &Blob(v, slots_[c].index);
    }
  }
}

size_t RowFormat::SizeFor(absl::Span<const Cell> cells) const {
  size_t text = 0;
  for (size_t c = 0; c < slots_.size(); ++c) {
    if (slots_[c].type == ColumnType::kText) text += cells[c].key.bytes.size();
  }
  return TextsOffset(WidthFor(text)) + text;
}

Version* RowFormat::Allocate(size_t size) {
  // 16-byte aligned, as glibc's malloc gives anyway (so the chunk is the
  // same): index entries keep a tag in the low bits (index_entry.h).
  void* block = nullptr;
  if (posix_memalign(&block, 16, size) != 0) throw std::bad_alloc();
  return new (block) Version();
}

void RowFormat::Encode(absl::Span<const Cell> cells, Version* v) const {
  char* base = reinterpret_cast<char*>(v);
  size_t text_total = 0;
  for (size_t c = 0; c < slots_.size(); ++c) {
    if (slots_[c].type == ColumnType::kText) {
      text_total += cells[c].key.bytes.size();
    }
  }
  const unsigned width = WidthFor(text_total);
  base[format_offset_] = static_cast<char>(WidthCode(width));
  std::memset(base + bits_offset_, 0, ends_offset_ - bits_offset_);
  char* text_out = base + TextsOffset(width);
  uint32_t text_end = 0;
  for (size_t c = 0; c < slots_.size(); ++c) {
    const Cell& cell = cells[c];
    const Slot slot = slots_[c];
    if (c > 0 && cell.key.is_null()) SetBit(v, c - 1, true);
    switch (slot.type) {
      case ColumnType::kInteger:
      case ColumnType::kTimestamp: {
        const int64_t n = cell.key.is_null() ? 0 : cell.key.number;
        std::memcpy(base + sizeof(Version) + 8 * slot.index, &n, 8);
        break;
      }
      case ColumnType::kBlob: {
        void* at = base + blob_offset_ + sizeof(BlobRef) * slot.index;
        if (cell.blob != nullptr && !cell.key.is_null()) {
          new (at) BlobRef(*cell.blob);
        } else {
          new (at) BlobRef();
        }
        break;
      }
      case ColumnType::kBoolean:
        SetBit(v, BoolBit(slot.index), !cell.key.is_null() && cell.key.number);
        break;
      case ColumnType::kText:
        break;  // below, in their own order
    }
  }
  for (size_t t = 0; t < text_columns_.size(); ++t) {
    const absl::string_view bytes = cells[text_columns_[t]].key.bytes;
    if (!bytes.empty()) std::memcpy(text_out, bytes.data(), bytes.size());
    text_out += bytes.size();
    text_end += static_cast<uint32_t>(bytes.size());
    // Little-endian: the low `width` bytes of the end.
    std::memcpy(base + ends_offset_ + width * t, &text_end, width);
  }
}

void RowFormat::CopyBody(const Version* from, Version* to) const {
  const char* src = reinterpret_cast<const char*>(from);
  char* dst = reinterpret_cast<char*>(to);
  const size_t size = ContentSize(from);
  std::memcpy(dst + sizeof(Version), src + sizeof(Version),
              blob_offset_ - sizeof(Version));
  for (size_t b = 0; b < blob_columns_.size(); ++b) {
    new (dst + blob_offset_ + sizeof(BlobRef) * b) BlobRef(Blob(from, b));
  }
  std::memcpy(dst + format_offset_, src + format_offset_,
              size - format_offset_);
}

void RowFormat::DestroyBlobs(Version* v) const {
  char* base = reinterpret_cast<char*>(v);
  for (size_t b = 0; b < blob_columns_.size(); ++b) {
    reinterpret_cast<BlobRef*>(base + blob_offset_ + sizeof(BlobRef) * b)
        ->~BlobRef();
  }
}

void RowFormat::Free(Version* v) const {
  DestroyBlobs(v);
  v->~Version();
  std::free(v);
}

size_t RowFormat::ContentSize(const Version* v) const {
  const unsigned width = TextWidth(v);
  const size_t texts =
      text_count_ == 0 ? 0 : TextEnd(v, width, text_count_ - 1);
  return TextsOffset(width) + texts;
}

size_t RowFormat::Capacity(const Version* v) {
  return malloc_usable_size(const_cast<Version*>(v));
}

bool RowFormat::IsNull(const Version* v, size_t column) const {
  return column > 0 && Bit(v, column - 1);
}

KeyRef RowFormat::Key(const Version* v, size_t column) const {
  KeyRef k;
  if (IsNull(v, column)) return k;
  const Slot slot = slots_[column];
  switch (slot.type) {
    case ColumnType::kInteger:
      k.kind = ValueKind::kInteger;
      k.number = ReadFixed(v, slot.index);
      break;
    case ColumnType::kTimestamp:
      k.kind = ValueKind::kTimestamp;
      k.number = ReadFixed(v, slot.index);
      break;
    case ColumnType::kBoolean:
      k.kind = ValueKind::kBoolean;
      k.number = Bit(v, BoolBit(slot.index));
      break;
    case ColumnType::kText:
      k.kind = ValueKind::kText;
      k.bytes = Text(v, slot.index);
      break;
    case ColumnType::kBlob:
      k.kind = ValueKind::kBlob;
      k.bytes = *Blob(v, slot.index);
      break;
  }
  return k;
}

Value RowFormat::Get(const Version* v, size_t column) const {
  if (IsNull(v, column)) return Value::Null();
  const Slot slot = slots_[column];
  switch (slot.type) {
    case ColumnType::kInteger:
      return Value::Integer(ReadFixed(v, slot.index));
    case ColumnType::kTimestamp:
      return Value::Time(Timestamp{ReadFixed(v, slot.index)});
    case ColumnType::kBoolean:
      return Value::Boolean(Bit(v, BoolBit(slot.index)));
    case ColumnType::kText:
      return Value::Text(std::string(Text(v, slot.index)));
    case ColumnType::kBlob:
      return Value::Blob(Blob(v, slot.index));
  }
  return Value::Null();
}

std::vector<Value> RowFormat::Decode(const Version* v) const {
  std::vector<Value> row;
  row.reserve(slots_.size());
  for (size_t c = 0; c < slots_.size(); ++c) row.push_back(Get(v, c));
  return row;
}

const Value::BlobRef& RowFormat::Blob(const Version* v, size_t b) const {
  return *reinterpret_cast<const BlobRef*>(
      reinterpret_cast<const char*>(v) + blob_offset_ + sizeof(BlobRef) * b);
}

bool RowFormat::BlobCharged(const Version* v, size_t b) const {
  return Bit(v, ChargeBit(b));
}

void RowFormat::SetBlobCharged(Version* v, size_t b, bool charged) const {
  SetBit(v, ChargeBit(b), charged);
}

int64_t RowFormat::ReadFixed(const Version* v, size_t index) const {
  int64_t n;
  std::memcpy(&n, v->body() + 8 * index, 8);
  return n;
}

unsigned RowFormat::TextWidth(const Version* v) const {
  return WidthOf(
      static_cast<uint8_t>(reinterpret_cast<const char*>(v)[format_offset_]));
}

size_t RowFormat::TextEnd(const Version* v, unsigned width, size_t text) const {
  uint32_t end = 0;
  std::memcpy(&end,
              reinterpret_cast<const char*>(v) + ends_offset_ + width * text,
              width);
  return end;
}

absl::string_view RowFormat::Text(const Version* v, size_t text) const {
  const unsigned width = TextWidth(v);
  const size_t begin = text == 0 ? 0 : TextEnd(v, width, text - 1);
  const size_t end = TextEnd(v, width, text);
  return absl::string_view(
      reinterpret_cast<const char*>(v) + TextsOffset(width) + begin,
      end - begin);
}

bool RowFormat::Bit(const Version* v, size_t bit) const {
  const auto byte = static_cast<uint8_t>(
      reinterpret_cast<const char*>(v)[bits_offset_ + bit / 8]);
  return (byte >> (bit % 8)) & 1;
}

void RowFormat::SetBit(Version* v, size_t bit, bool on) const {
  char& byte = reinterpret_cast<char*>(v)[bits_offset_ + bit / 8];
  const auto mask = static_cast<uint8_t>(1u << (bit % 8));
  byte = static_cast<char>(on ? (static_cast<uint8_t>(byte) | mask)
                              : (static_cast<uint8_t>(byte) & ~mask));
}

}  // namespace viewer::internal
