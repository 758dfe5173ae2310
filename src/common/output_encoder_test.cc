// OutputEncoder and OutputFileReader together: what the processor writes, every reader gets
// back, batch by batch, and a damaged or cut file is reported instead of read as shorter data.
#include "common/output_encoder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "common/data_layout.h"
#include "common/output_file_reader.h"

namespace orderflow {
namespace {

constexpr Compression kAll[] = {Compression::kNone, Compression::kGzip, Compression::kZstd};

class OutputEncoderTest : public testing::Test {
 protected:
  void TearDown() override {
    for (const std::string& path : written_) std::remove(path.c_str());
  }
  // Writes `bytes` to a file named like a part file of `compression`; returns its path.
  std::string WriteFile(const std::string& bytes, Compression compression) {
    const std::string path = testing::TempDir() + "encoder_" + std::to_string(::getpid()) + "_" +
                             std::to_string(written_.size()) + "_" +
                             data_layout::PartFileName(1, 0, 9, compression);
    std::ofstream(path, std::ios::binary) << bytes;
    written_.push_back(path);
    return path;
  }
  std::vector<std::string> written_;
};

// Lines like the processor's, some long and repetitive, some not.
std::string Lines(int count, int seed) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    text += "{\"order_id\":\"" + std::to_string(seed * 100003 + i * 7919) +
            "\",\"item\":\"apples\",\"quantity\":" + std::to_string(i % 20 + 1) + "}\n";
  }
  return text;
}

TEST_F(OutputEncoderTest, EveryCompressionRoundTripsPiecesAsOneUnit) {
  const std::string a = Lines(1000, 1), b = Lines(1, 2), c = Lines(300, 3);
  const std::vector<std::string_view> pieces = {a, b, "", c};
  for (Compression compression : kAll) {
    OutputEncoder encoder(compression);
    std::string encoded;
    ASSERT_TRUE(encoder.Encode(pieces, encoded).ok());
    if (compression != Compression::kNone) {
      EXPECT_LT(encoded.size(), (a + b + c).size() / 3);
    }
    auto read = ReadOutputFile(WriteFile(encoded, compression));
    ASSERT_TRUE(read.ok()) << read.status().message();
    EXPECT_EQ(*read, a + b + c) << CompressionName(compression);
  }
}

TEST_F(OutputEncoderTest, UnitsOfSeveralBatchesReadAsOneFile) {
  // A file kept open across batches holds one member or frame per batch, one after another.
  for (Compression compression : kAll) {
    OutputEncoder encoder(compression);
    std::string file, expected;
    for (int batch = 0; batch < 5; ++batch) {
      const std::string lines = Lines(200 * batch + 1, batch);
      const std::vector<std::string_view> pieces = {lines};
      ASSERT_TRUE(encoder.Encode(pieces, file).ok());
      expected += lines;
    }
    auto read = ReadOutputFile(WriteFile(file, compression));
    ASSERT_TRUE(read.ok()) << read.status().message();
    EXPECT_EQ(*read, expected) << CompressionName(compression);
  }
}

TEST_F(OutputEncoderTest, AnEmptyBatchWritesNothing) {
  for (Compression compression : kAll) {
    OutputEncoder encoder(compression);
    std::string out = "kept";
    ASSERT_TRUE(encoder.Encode({}, out).ok());
    const std::vector<std::string_view> empty = {"", ""};
    ASSERT_TRUE(encoder.Encode(empty, out).ok());
    EXPECT_EQ(out, "kept");
    auto read = ReadOutputFile(WriteFile("", compression));  // an empty file is an empty file
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(*read, "");
  }
}

TEST_F(OutputEncoderTest, AFileCutInsideAUnitIsCorruptionAfterTheWholeUnitsBeforeIt) {
  for (Compression compression : {Compression::kGzip, Compression::kZstd}) {
    OutputEncoder encoder(compression);
    const std::string first = Lines(50, 1), second = Lines(5000, 2);
    std::string file;
    ASSERT_TRUE(encoder.Encode(std::vector<std::string_view>{first}, file).ok());
    const size_t boundary = file.size();
    ASSERT_TRUE(encoder.Encode(std::vector<std::string_view>{second}, file).ok());
    // Cut at the boundary: a whole file of one batch.
    auto whole = ReadOutputFile(WriteFile(file.substr(0, boundary), compression));
    ASSERT_TRUE(whole.ok()) << whole.status().message();
    EXPECT_EQ(*whole, first);
    for (size_t cut : {boundary + 1, boundary + 10, boundary + (file.size() - boundary) / 2,
                       file.size() - 1, size_t{5}}) {
      const std::string path = WriteFile(file.substr(0, cut), compression);
      auto read = ReadOutputFile(path);
      ASSERT_FALSE(read.ok()) << CompressionName(compression) << " cut at " << cut;
      EXPECT_EQ(read.status().code(), Status::Code::kCorruption);
      EXPECT_NE(read.status().message().find(path), std::string::npos);
      // Reading block by block hands out every decoded byte before the error.
      auto reader = OutputFileReader::Open(path);
      ASSERT_TRUE(reader.ok());
      std::string got;
      char block[4096];
      Status error;
      for (;;) {
        auto n = reader->Read(block, sizeof(block));
        if (!n.ok()) {
          error = n.status();
          break;
        }
        if (*n == 0) break;
        got.append(block, *n);
      }
      EXPECT_EQ(error.code(), Status::Code::kCorruption);
      if (cut > boundary) {
        EXPECT_EQ(got.substr(0, first.size()), first);
      }
      EXPECT_LE(got.size(), first.size() + second.size());
    }
  }
}

TEST_F(OutputEncoderTest, DamagedOrForeignBytesAreCorruption) {
  for (Compression compression : {Compression::kGzip, Compression::kZstd}) {
    OutputEncoder encoder(compression);
    std::string file;
    ASSERT_TRUE(encoder.Encode(std::vector<std::string_view>{Lines(100, 1)}, file).ok());
    std::string flipped = file;
    flipped[flipped.size() - 6] ^= 0x40;  // in the checksum or the last block
    EXPECT_EQ(ReadOutputFile(WriteFile(flipped, compression)).status().code(),
              Status::Code::kCorruption)
        << CompressionName(compression);
    EXPECT_EQ(ReadOutputFile(WriteFile(file + "trailing text\n", compression)).status().code(),
              Status::Code::kCorruption);
    EXPECT_EQ(ReadOutputFile(WriteFile("{\"plain\":1}\n", compression)).status().code(),
              Status::Code::kCorruption);
  }
}

TEST_F(OutputEncoderTest, ReadingSmallBlocksGivesTheSameBytes) {
  for (Compression compression : kAll) {
    OutputEncoder encoder(compression);
    std::string file;
    const std::string lines = Lines(3000, 4);
    ASSERT_TRUE(encoder.Encode(std::vector<std::string_view>{lines}, file).ok());
    ASSERT_TRUE(encoder.Encode(std::vector<std::string_view>{lines}, file).ok());
    auto reader = OutputFileReader::Open(WriteFile(file, compression));
    ASSERT_TRUE(reader.ok());
    std::string got;
    char block[7];
    for (;;) {
      auto n = reader->Read(block, sizeof(block));
      ASSERT_TRUE(n.ok()) << n.status().message();
      if (*n == 0) break;
      got.append(block, *n);
    }
    EXPECT_EQ(got, lines + lines);
    EXPECT_EQ(reader->file_bytes_read(), file.size());
  }
}

TEST_F(OutputEncoderTest, AMissingFileIsNotFound) {
  EXPECT_TRUE(ReadOutputFile("/nonexistent/part.json.zst").status().IsNotFound());
}

}  // namespace
}  // namespace orderflow
