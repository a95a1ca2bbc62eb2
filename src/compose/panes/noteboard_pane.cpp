#include "compose/panes/noteboard_pane.h"

namespace ssr::compose {

// Not drawn yet: the pane gives its space to the others.
bool NoteboardPane::Prepare(const FrameContext& /*ctx*/) { return false; }

void NoteboardPane::DrawStatic(cairo_t* /*cr*/, media::Rect /*rect*/, double /*scale*/) {}

}  // namespace ssr::compose
