#pragma once
// Pane 1, webcams: a tile per participant who shows media (or presents), in a filmstrip or
// a grid. A tile shows the camera picture scaled with its aspect kept and a name label, or a
// name card when the camera is muted, absent, broken or stalled.

#include "compose/pane.h"

#include <map>
#include <string>
#include <vector>

namespace ssr::compose {

class WebcamPane : public Pane {
 public:
  explicit WebcamPane(media::MediaProvider& media) : media_(media) {}

  bool Prepare(const FrameContext& ctx) override;
  uint64_t StaticKey() const override { return key_; }
  void DrawStatic(cairo_t* cr, media::Rect rect, double scale) override;
  void DrawLive(media::I420Frame& frame, media::Rect rect, double scale) override;

 private:
  struct Tile {
    std::string participant;
    std::string name;
    std::string role;
    bool camera_published = false;
    bool camera_muted = false;
    bool mic_muted = false;
    const media::VideoPicture* picture = nullptr;  // valid until the next Prepare
  };

  const media::I420Frame& Label(const Tile& tile, double scale);

  media::MediaProvider& media_;
  events::WebcamMode mode_ = events::WebcamMode::kFilmstrip;
  std::vector<Tile> tiles_;
  uint64_t key_ = 0;
  std::map<std::string, media::I420Frame> labels_;  // rendered name labels, by text and size
};

}  // namespace ssr::compose
