#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/delivery_transport.h"
#include "pipeline/store_transport.h"
#include "s3/s3_config.h"

namespace medvqa {
class Index;
}
namespace medvqa::store {
class FileStore;
}

namespace medvqa::node {

// What the node's outbox sender sends with, read from the node's store.
struct NodeDestinations {
  std::map<std::string, net::DicomPeer> peers;  // C-STORE destinations by AE title
  std::vector<s3::S3Destination> buckets;
  std::string callingAet;
  unsigned timeoutSeconds = 60;
};

// The node's doors out, behind core's one DeliverySender: upload to the buckets ("s3:<name>"),
// C-STORE through net::StoreClient to the DICOM destinations, both reading the files of `files`
// that `index` names. With `withPatient` (audit on) each instance carries its study's patient ID
// for the audit messages.
std::vector<std::unique_ptr<pipeline::DeliveryTransport>> nodeTransports(const Index& index,
                                                                         const store::FileStore& files,
                                                                         NodeDestinations destinations,
                                                                         bool withPatient);

}  // namespace medvqa::node
