"""Prose shared by the dedupe tests: six distinct paragraphs, and later wordings of three."""

from __future__ import annotations

PROSE = [
    "The plan starts gently, with three short runs in the first week and a long walk on "
    "the weekend, so that the legs get used to the work before the distance grows.",
    "By the fourth week most runners can manage thirty minutes without stopping, and the "
    "plan adds one session of hills to build strength in the calves and the thighs.",
    "Rest days matter as much as the runs themselves: the body repairs the small tears in "
    "the muscles while you sleep, and skipping rest is the quickest way to an injury.",
    "Shoes are the one piece of kit worth spending money on, and a shop that watches you "
    "run on a treadmill will find a pair that suits the way your feet land on the road.",
    "On race day, start slower than you think you should: the crowd and the nerves push "
    "everyone to go out too fast, and the last few kilometres are where that is paid for.",
    "Drink a little at every water station even if you do not feel thirsty, because by "
    "the time you notice thirst your pace has usually already started to slip away.",
]
REVISED = [
    "The plan begins gently, with three short runs in the first week and a long walk at "
    "the weekend, so that the legs get used to the work before the distance grows.",
    "By week four most runners can manage thirty minutes without stopping, and the plan "
    "adds one session of hills to build strength in the calves and the thighs.",
    "Rest days matter as much as the runs: the body repairs the small tears in the "
    "muscles while you sleep, and skipping rest is the fastest way to an injury.",
]
