// SPDX-License-Identifier: Apache-2.0
#include "jpeg_reader.hpp"

#include <csetjmp>
#include <cstdio>
#include <fstream>

#include <jpeglib.h>
// jerror.h after jpeglib.h, which it needs.
#include <jerror.h>

namespace ea::core::media {

namespace {

// libjpeg reports a fatal error by calling error_exit, which must not return: it jumps back to
// the decode's setjmp. Nothing with a destructor lives between the two, as C++ requires.
struct ErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  bool ended_early;  // the data stopped before the image was complete
};

[[noreturn]] void jump_back(j_common_ptr info) {
  auto* manager = reinterpret_cast<ErrorManager*>(info->err);
  (*info->err->format_message)(info, manager->message);
  std::longjmp(manager->jump, 1);
}

// Warnings and traces are not printed. Of the warnings, only a premature end of the data
// matters: libjpeg fills the missing rows with grey, which no metric should score. The others
// (extraneous bytes before a marker, say) are common in real datasets and harmless, as OpenCV
// treats them too.
void note_warning(j_common_ptr info, int level) {
  if (level < 0 && info->err->msg_code == JWRN_JPEG_EOF)
    reinterpret_cast<ErrorManager*>(info->err)->ended_early = true;
}

// A decompressor with the error manager above; destroyed with its scope.
class Decompressor {
 public:
  Decompressor() {
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = jump_back;
    errors.base.emit_message = note_warning;
    errors.message[0] = '\0';
    errors.ended_early = false;
    jpeg_create_decompress(&info);
  }
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;
  ~Decompressor() { jpeg_destroy_decompress(&info); }

  jpeg_decompress_struct info{};
  ErrorManager errors{};
};

bool converts_to_rgb(J_COLOR_SPACE space) {
  return space == JCS_YCbCr || space == JCS_GRAYSCALE || space == JCS_RGB;
}

}  // namespace

FileBytes::FileBytes(const std::filesystem::path& file, std::string& error) {
  std::ifstream stream(file, std::ios::binary | std::ios::ate);
  const std::streamoff size = stream ? static_cast<std::streamoff>(stream.tellg()) : -1;
  if (size < 0) {
    error = "cannot read " + file.string();
    return;
  }
  size_ = static_cast<std::size_t>(size);
  data_ = std::make_unique_for_overwrite<std::uint8_t[]>(size_);
  stream.seekg(0);
  if (!stream.read(reinterpret_cast<char*>(data_.get()), size)) {
    error = "cannot read " + file.string();
    size_ = 0;
  }
}

bool FileBytes::is_jpeg() const noexcept {
  return size_ >= 3 && data_[0] == 0xFF && data_[1] == 0xD8 && data_[2] == 0xFF;
}

namespace {

// Reads the header of `file`, then runs `work(decompressor)`, which may call libjpeg further:
// any error of libjpeg's returns here as failed. Whatever `work` keeps between libjpeg calls
// must have trivial destructors, which the jump skips.
template <class Work>
JpegResult with_header(const FileBytes& file, std::string& error, Work&& work) {
  Decompressor decompressor;
  if (setjmp(decompressor.errors.jump) != 0) {
    error = decompressor.errors.message;
    return JpegResult::failed;
  }
  jpeg_mem_src(&decompressor.info, file.bytes().data(),
               static_cast<unsigned long>(file.bytes().size()));
  jpeg_read_header(&decompressor.info, TRUE);
  return work(decompressor);
}

}  // namespace

JpegResult read_jpeg_size(const FileBytes& file, std::uint32_t& width, std::uint32_t& height,
                          std::string& error) {
  return with_header(file, error, [&](Decompressor& decompressor) {
    width = decompressor.info.image_width;
    height = decompressor.info.image_height;
    return JpegResult::decoded;
  });
}

JpegResult JpegPixels::decode(const FileBytes& file, std::string& error) {
  return with_header(file, error, [&](Decompressor& decompressor) {
    jpeg_decompress_struct& info = decompressor.info;
    if (!converts_to_rgb(info.jpeg_color_space))
      return JpegResult::unsupported;
    info.out_color_space = JCS_RGB;
    jpeg_start_decompress(&info);
    const std::size_t stride = std::size_t{info.output_width} * 3;
    const std::size_t size = stride * info.output_height;
    if (size > capacity_) {  // not zeroed: every byte is written below
      rgb_ = std::make_unique_for_overwrite<std::uint8_t[]>(size);
      capacity_ = size;
    }
    constexpr int kRowsPerCall = 16;  // libjpeg hands over up to an MCU row (16 rows) a call
    JSAMPROW rows[kRowsPerCall];
    while (info.output_scanline < info.output_height) {
      const JDIMENSION first = info.output_scanline;
      int count = 0;
      for (; count < kRowsPerCall && first + static_cast<JDIMENSION>(count) < info.output_height;
           ++count)
        rows[count] = rgb_.get() + (first + static_cast<std::size_t>(count)) * stride;
      jpeg_read_scanlines(&info, rows, static_cast<JDIMENSION>(count));
    }
    jpeg_finish_decompress(&info);
    if (decompressor.errors.ended_early) {
      error = "the JPEG data ends before the image does (the file is truncated)";
      return JpegResult::failed;
    }
    width_ = info.output_width;
    height_ = info.output_height;
    return JpegResult::decoded;
  });
}

Pixels JpegPixels::pixels() const noexcept {
  return Pixels{width_, height_, std::size_t{width_} * 3, rgb_.get()};
}

}  // namespace ea::core::media
