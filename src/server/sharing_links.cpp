#include "server/sharing_links.h"

#include "control/recording_controller.h"

namespace ssr::server {

const char* LinkStateName(const library::ShareLink& link, double now_s) {
  if (link.revoked_at_s)
    return "revoked";
  if (link.expires_at_s && *link.expires_at_s <= now_s)
    return "expired";
  return "active";
}

LinkAdmission SharingLinks::AdmitLink(const std::string& token, double now_s) {
  LinkAdmission result;
  result.link = watch_.FindLink(token);
  if (!result.link)
    return result;
  if (result.link->revoked_at_s) {
    result.admission = Admission::kRevoked;
  } else if (result.link->expires_at_s && *result.link->expires_at_s <= now_s) {
    result.admission = Admission::kExpired;
  } else {
    result.recording = controller_.Find(result.link->recording_id);
    result.admission = result.recording ? Admission::kAdmitted : Admission::kRecordingGone;
  }
  return result;
}

WatchAdmission SharingLinks::AdmitWatchUrl(const std::string& token, double now_s) {
  WatchAdmission result;
  result.grant = watch_.FindWatchToken(token);
  if (!result.grant)
    return result;
  if (result.grant->expires_at_s <= now_s) {
    result.admission = Admission::kExpired;
    return result;
  }
  if (result.grant->link_id) {
    const auto link = watch_.FindLinkById(*result.grant->link_id);
    if (!link || link->revoked_at_s) {
      result.admission = Admission::kRevoked;
      return result;
    }
  }
  result.admission = controller_.Find(result.grant->recording_id) ? Admission::kAdmitted
                                                                  : Admission::kRecordingGone;
  return result;
}

} // namespace ssr::server
