#pragma once
// The structured caption action checkpoints were trained on, built from the user's task
// description: the camera framing of the view point, the description timed over the clip, its
// duration, fps, the canvas resolution and the nearest of five aspect ratios, serialised as
// Python's json.dumps writes it (", " and ": " separators, non-ASCII escaped), since the tokens
// must be the reference's.

#include <string>
#include <vector>

namespace cosmos3::pipeline {

// ego_view, third_person_view, wrist_view, concat_view.
const std::vector<std::string>& action_view_points();

// Throws RequestError naming the view point and the choices when it is unknown (the reference
// drops the framing with a warning instead).
void check_action_view_point(const std::string& view_point);

std::string action_caption(const std::string& description, const std::string& view_point,
                           int num_frames, double fps, int height, int width);

}  // namespace cosmos3::pipeline
