#pragma once

// The modules around the SR content tree: patient and general study copied from the source, a
// new series and instance in that study, the equipment, the document flags and references.

#include "sr/evidence.h"
#include "sr/sr_writer.h"

class DSRDocument;

namespace medvqa::sr {

// Patient Module and General Study Module from `source` (DCMTK's readStudyData: names, IDs,
// birth date, sex, study UID/date/time/ID, accession number, referring physician, description).
// A source in another character set is converted to UTF-8 first. Returns whether the source
// declared a Specific Character Set (the SR must then declare ISO_IR 192).
bool copyPatientAndStudy(DSRDocument& document, DcmItem& source);

// ISO_IR 192 (UTF-8) when the source declared a character set (its text was converted) or any
// text of the request is not ASCII; none otherwise (the default repertoire, as most viewers like).
void setCharacterSet(DSRDocument& document, const ReportRequest& request, bool sourceDeclaredCharset);

// SR series (Modality SR, "MedVQA answers", series/instance numbers), General Equipment
// (Manufacturer "MedVQA", model name, software version), completion flag, the Predecessor
// Documents Sequence, the Current Requested Procedure Evidence Sequence and the private coding
// scheme's identification.
void setSeriesAndReferences(DSRDocument& document, const ReportRequest& request, const Evidence& evidence);

}  // namespace medvqa::sr
