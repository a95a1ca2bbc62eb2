#include "compose/panes/whiteboard_pane.h"

namespace ssr::compose {

// Not drawn yet: the pane gives its space to the others.
bool WhiteboardPane::Prepare(const FrameContext& /*ctx*/) { return false; }

void WhiteboardPane::DrawStatic(cairo_t* /*cr*/, media::Rect /*rect*/, double /*scale*/) {}

}  // namespace ssr::compose
