#pragma once
// Pane 1, webcams and media: a tile per participant who shows media (or presents), in a
// filmstrip or a grid. A tile shows the camera picture scaled with its aspect kept and a name
// label, or a name card when the camera is muted, absent, broken or stalled.
//
// When a media file plays (media.play) or a stream is on (stream.start), its player takes the
// larger part of the pane (left in a wide pane, top in a tall one) and the tiles a strip
// beside it. A picture is scaled in live; an audio file, a broken asset or an unavailable
// stream shows a card (name, state, a progress bar redrawn once a second).

#include "compose/media_player.h"
#include "compose/pane.h"

#include <map>
#include <string>
#include <vector>

namespace ssr::compose {

class WebcamPane : public Pane {
 public:
  explicit WebcamPane(media::MediaProvider& media)
      : media_(media), media_player_(media, MediaPlayer::Kind::kVideo),
        stream_player_(media, MediaPlayer::Kind::kVideo) {}

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
    const media::VideoPicture* picture = nullptr; // valid until the next Prepare
  };

  void PrepareTiles(const FrameContext& ctx);
  void PreparePlayer(const FrameContext& ctx);
  // Splits the pane between the player (if one shows) and the tiles.
  void Split(media::Rect rect, media::Rect* player, media::Rect* tiles) const;
  std::vector<media::Rect> TileRectsIn(media::Rect area) const;
  void DrawTileCards(cairo_t* cr, media::Rect area, double scale);
  void DrawPlayerCard(cairo_t* cr, media::Rect r, double scale);
  std::string PlayerStatus() const; // the card's second line
  const media::I420Frame& Label(const std::string& text, double scale);

  media::MediaProvider& media_;
  events::WebcamMode mode_ = events::WebcamMode::kFilmstrip;
  std::vector<Tile> tiles_;
  uint64_t key_ = 0;
  std::map<std::string, media::I420Frame> labels_; // rendered name labels, by text and size

  MediaPlayer media_player_;                            // media.play
  MediaPlayer stream_player_;                           // stream.start
  const MediaPlayer* shown_ = nullptr;                  // the one started last, or null
  const media::VideoPicture* player_picture_ = nullptr; // valid until the next Prepare
};

} // namespace ssr::compose
