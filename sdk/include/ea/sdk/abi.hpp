// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace ea::sdk {

// Plugin ABI history. Bump kAbiVersion on any change to an SDK header that alters a layout, a
// virtual table or a signature, and add a line here saying what changed.
//   1  first SDK: Importer, RecordSink, ProjectView, value types, Registrar (metric kind reserved).
//   2  ObjectDetection::box, OntologyObject::supercategory, Label::source_id; mask geometry
//      (rasterisation, merge, IoU) and derived ids in libea_sdk; Exporter, PredictionSource,
//      Registrar::add_exporter; ProjectView::find_external_id_of.
//      Added since, without changing a layout (an older ABI-2 plugin still loads): mask_iou with
//      known boxes.
//   3  ExternalId::frame; ProjectView::find_external_frame, and find_external_id_of takes a frame
//      (an external id may name one frame of a video, as COCO images "<video>__<frame>" do);
//      ObjectDetection::attributes; Prediction::unit_index.
//      Added since, without changing a layout: FileTargets (per-image file → data unit).
//   4  RecordSink::note; CompanionModule (a plugin's lazily loaded library); the Metric interface
//      (FrameView, MetricObject, ImageView, MetricSink) and MetricInfo's scope and needs.
//   5  RleView: rle_area and rle_bbox take one (an Rle converts to it); mask_iou of MeasuredMasks
//      replaces mask_iou with known boxes; rle_string_runs and rle_decode_into decode into a
//      caller's storage; MappedFile.
/// The plugin ABI version; host and plugin must carry exactly the same number.
inline constexpr int kAbiVersion = 5;

/// Everything besides the ABI version that makes C++ objects incompatible across libraries.
struct BuildStamp {
  unsigned magic;         ///< kStampMagic, so a stray symbol of the same name is recognised.
  int abi;                ///< kAbiVersion when the library was compiled.
  int compiler_major;     ///< __GNUC__: libstdc++ layouts may change between majors.
  int glibcxx_cxx11_abi;  ///< _GLIBCXX_USE_CXX11_ABI: std::string has two incompatible layouts.
  long cxx_standard;      ///< __cplusplus: the standard library differs per standard level.
  int glibcxx_debug;      ///< 1 with _GLIBCXX_DEBUG, which changes container sizes.
};

/// Identifies a BuildStamp; ASCII "EA\0\1" read as an integer.
inline constexpr unsigned kStampMagic = 0x45410001u;

/// The stamp of the translation unit that evaluates it (host and plugin each evaluate their own).
constexpr BuildStamp current_build_stamp() {
  return BuildStamp{
      kStampMagic,
      kAbiVersion,
#ifdef __GNUC__
      __GNUC__,
#else
      0,
#endif
#ifdef _GLIBCXX_USE_CXX11_ABI
      _GLIBCXX_USE_CXX11_ABI,
#else
      -1,
#endif
      __cplusplus,
#ifdef _GLIBCXX_DEBUG
      1,
#else
      0,
#endif
  };
}

/// True when two stamps describe compatible builds.
constexpr bool operator==(const BuildStamp& a, const BuildStamp& b) {
  return a.magic == b.magic && a.abi == b.abi && a.compiler_major == b.compiler_major &&
         a.glibcxx_cxx11_abi == b.glibcxx_cxx11_abi && a.cxx_standard == b.cxx_standard &&
         a.glibcxx_debug == b.glibcxx_debug;
}

}  // namespace ea::sdk
