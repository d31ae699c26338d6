#pragma once

#include <dcmtk/dcmdata/dctagkey.h>

#include <filesystem>
#include <string>
#include <vector>

namespace medvqa::test {

// Every regular file under `dir`, sorted (the order storescu is given them in).
std::vector<std::filesystem::path> filesUnder(const std::filesystem::path& dir);

// The bytes of a Part 10 file after its File Meta Information: the data set exactly as encoded.
// Meta headers differ legitimately between writers (implementation UID, source AE); the data set
// must not change between what was sent and what is stored or retrieved.
std::string datasetBytes(const std::filesystem::path& file);

// A data set's content whatever its transfer syntax: decoded (inflated, decompressed) and
// re-encoded in explicit VR little endian. Needs the decoders registered (CodecRegistration).
std::string decodedDatasetBytes(const std::filesystem::path& file);

// One attribute of a file's data set as a string ("" when absent).
std::string attribute(const std::filesystem::path& file, const DcmTagKey& tag);

std::string transferSyntaxOf(const std::filesystem::path& file);

// The storescu option that proposes exactly this transfer syntax ("-xs" for JPEG lossless...).
// Stock storescu proposes uncompressed syntaxes only unless told, like a modality configured
// for one compression.
std::string storescuProposalFor(const std::string& transferSyntaxUid);

// Where medvqa-scp keeps an instance under `storage` (same rule as the node: a hash of the UID).
std::filesystem::path storedPath(const std::filesystem::path& storage, const std::string& sopInstanceUid);

}  // namespace medvqa::test
