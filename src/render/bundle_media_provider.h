#pragma once
// Feeds for the tracks of a bundle (tracks/ID.*), opened on first use. A missing, corrupt or
// truncated file is reported once by name and the track shows its name card (or is silent).

#include "common/media_kind.h"
#include "events/bundle.h"
#include "media/feeds.h"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace ssr::render {

class BundleMediaProvider : public media::MediaProvider {
 public:
  using WarningSink = std::function<void(const std::string&)>;

  BundleMediaProvider(const events::Bundle& bundle, WarningSink warn,
                      media::StreamUrlPolicy stream_urls = media::StreamUrlPolicy())
      : bundle_(bundle), warn_(std::move(warn)), stream_urls_(std::move(stream_urls)) {}

  media::VideoFeed* Video(const std::string& track_id) override;
  media::AudioFeed* Audio(const std::string& track_id) override;
  std::optional<std::string> AssetPath(const std::string& name) override;
  void Warn(const std::string& message) override;
  const media::StreamUrlPolicy& StreamUrls() override { return stream_urls_; }

  double video_decode_cpu_s() const { return video_decode_cpu_s_; }
  double audio_decode_cpu_s() const { return audio_decode_cpu_s_; }

 private:
  template <typename Feed, typename Base>
  Base* Open(std::map<std::string, std::unique_ptr<Base>>& feeds, const std::string& track_id,
             MediaKind kind, double& decode_cpu_s);

  const events::Bundle& bundle_;
  WarningSink warn_;
  media::StreamUrlPolicy stream_urls_;
  std::set<std::string> warned_;
  std::map<std::string, std::unique_ptr<media::VideoFeed>> video_;
  std::map<std::string, std::unique_ptr<media::AudioFeed>> audio_;
  double video_decode_cpu_s_ = 0;
  double audio_decode_cpu_s_ = 0;
};

} // namespace ssr::render
