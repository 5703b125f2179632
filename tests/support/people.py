"""People used by engine and site tests alike, as vignette facts (findings.yaml ids)."""

from __future__ import annotations

# Plantar fasciitis and sciatica at once: nerve pain from the back down the leg, and the
# heel's own first-step pain under the inner heel.
PF_WITH_SCIATICA = {
    "age": 48, "sex": "male", "back_pain": True, "back_pain_came_first": True,
    "radiating_below_knee": True, "loc_leg_buttock": True, "q_electric": True, "q_tingling": True,
    "worse_sitting_bending_cough": True, "loc_heel_bottom_inner": True, "first_step_pain": True,
    "check_press_inner_heel": True, "duration_weeks": 10,
}  # fmt: skip
# Deep, worsening heel pain at night and at rest with weight loss: no listed cause fits.
NOTHING_FITS = {
    "age": 57, "sex": "male", "loc_heel_sides": True, "loc_heel_bottom_center": True,
    "q_deep_bruise": True, "night_pain": True, "pain_at_rest": True, "getting_worse": True,
    "weight_loss_unexplained": True, "duration_weeks": 12,
}  # fmt: skip

# Numb skin around the bottom with sciatica: cauda equina, an emergency.
EMERGENCY = {"age": 50, "sex": "male", "back_pain": True, "saddle_numbness": True,
             "loc_leg_buttock": True, "radiating_below_knee": True}  # fmt: skip
