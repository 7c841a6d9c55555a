// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ea::core::eval {

/// A box by its corners, in pixels, as the KITTI devkit holds it.
struct KittiBox {
  double x1 = 0;  ///< left
  double y1 = 0;  ///< top
  double x2 = 0;  ///< right
  double y2 = 0;  ///< bottom
};

/// A label or detection with what the KITTI rules look at.
struct KittiObject {
  std::string type;      ///< class name, lower case ("car", "dontcare", …)
  KittiBox box;          ///< 2D box
  double truncated = 0;  ///< labels: 0 … 1
  double occluded = 0;   ///< labels: 0, 1, 2, 3
  double alpha = -10;    ///< observation angle; -10 when unknown
  double score = 0;      ///< detections
};

/// One image (or video frame): its labels and detections.
struct KittiImage {
  std::vector<KittiObject> truths;      ///< labels, DontCare regions included
  std::vector<KittiObject> detections;  ///< predictions
};

/// The difficulty levels, in the devkit's order.
inline constexpr std::array<const char*, 3> kKittiDifficulties{"easy", "moderate", "hard"};

/// One class's results per difficulty.
struct KittiClassResult {
  std::string name;                              ///< as the ontology spells it
  double min_overlap = 0.5;                      ///< IoU a match must exceed
  std::array<std::vector<double>, 3> precision;  ///< 41 points after the running maximum
  std::array<std::vector<double>, 3> aos;        ///< 41 points (when orientation is evaluated)
  std::array<double, 3> ap_r40{};                ///< mean of points 1 … 40
  std::array<double, 3> ap_r11{};                ///< mean of points 0, 4, …, 40
  std::array<double, 3> aos_r40{};               ///< as ap_r40, for AOS
  std::array<double, 3> aos_r11{};               ///< as ap_r11, for AOS
  std::array<std::size_t, 3> labels{};           ///< labels that count at each difficulty
  std::size_t detections = 0;                    ///< detections of the class
};

/// A KITTI 2D evaluation.
struct KittiEvaluation {
  std::vector<KittiClassResult> classes;   ///< evaluated classes, in the order asked
  std::vector<std::string> not_evaluated;  ///< asked for, but without any detection (skipped)
  bool orientation = false;                ///< AOS computed (no detection lacks alpha)
  std::size_t images = 0;                  ///< images (frames) evaluated
};

/// Evaluates `images` with the rules of the KITTI object devkit's evaluate_object.cpp (2D boxes):
/// each class of `classes` (lower-case name, display name, min overlap) with at least one
/// detection, at easy, moderate and hard.
KittiEvaluation evaluate_kitti(
    const std::vector<KittiImage>& images,
    const std::vector<std::pair<std::string, std::pair<std::string, double>>>& classes);

}  // namespace ea::core::eval
