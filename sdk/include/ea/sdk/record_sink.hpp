// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

#include "ea/sdk/export.hpp"
#include "ea/sdk/records.hpp"

namespace ea::sdk {

/// Receives the records an importer reads. The host validates and stores them; an importer never
/// writes the store. Every call may throw InvalidRecord when the import stops at the first error.
class EA_SDK_EXPORT RecordSink {
 public:
  virtual ~RecordSink();
  /// A data unit (project imports).
  virtual void add(const DataUnit& unit, RecordLocation where) = 0;
  /// An ontology object class (project imports).
  virtual void add(const OntologyObject& object, RecordLocation where) = 0;
  /// An ontology classification (project imports).
  virtual void add(const OntologyClassification& classification, RecordLocation where) = 0;
  /// A source identifier for a data unit or class.
  virtual void add(const ExternalId& id, RecordLocation where) = 0;
  /// A ground-truth label (project imports).
  virtual void add(const Label& label, RecordLocation where) = 0;
  /// A prediction (prediction imports).
  virtual void add(const Prediction& prediction, RecordLocation where) = 0;
  /// A record the importer could not read; `reason` says why. The host fails or skips it.
  virtual void reject(RecordLocation where, std::string_view reason) = 0;
  /// A line for the import report about something the importer left out by design and counted
  /// (mask components under --min-area), not an error. The default does nothing.
  virtual void note(std::string_view message);
};

}  // namespace ea::sdk
