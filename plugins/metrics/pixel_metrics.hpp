// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>

#include "ea/sdk/metric.hpp"

// Metrics of the pixels inside an object (its mask, or its box) and of the whole frame, from the
// frame's shared PixelPlanes. Formulas: docs/metrics.md.
namespace ea::metrics {

/// Mean luma of the object's pixels, 0..1.
std::optional<double> region_brightness(const sdk::MetricObject& object,
                                        const sdk::FrameView& frame);
/// Standard deviation of the luma of the object's pixels, 0..1 (RMS contrast).
std::optional<double> region_contrast(const sdk::MetricObject& object, const sdk::FrameView& frame);
/// Mean HSV saturation of the object's pixels, 0..1.
std::optional<double> region_saturation(const sdk::MetricObject& object,
                                        const sdk::FrameView& frame);
/// Variance of the Laplacian of the luma (in 0..255 luma units) over the object's pixels.
std::optional<double> region_sharpness(const sdk::MetricObject& object,
                                       const sdk::FrameView& frame);
/// 100 ÷ (100 + sharpness): 1 for a flat region, towards 0 as edges get crisper.
std::optional<double> region_blur(const sdk::MetricObject& object, const sdk::FrameView& frame);

/// Mean luma of the frame, 0..1.
std::optional<double> frame_brightness(const sdk::FrameView& frame);
/// Standard deviation of the frame's luma, 0..1.
std::optional<double> frame_contrast(const sdk::FrameView& frame);
/// Variance of the Laplacian of the frame's luma.
std::optional<double> frame_sharpness(const sdk::FrameView& frame);

/// Objects on the frame.
std::optional<double> object_count(const sdk::FrameView& frame);
/// The fraction of the image the union of the frame's objects covers: the boxes' geometric union
/// when all are boxes, else the union of their pixels (boxes rasterised).
std::optional<double> object_density(const sdk::FrameView& frame);

}  // namespace ea::metrics
