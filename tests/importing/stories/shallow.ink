// A weave is read from the depth of its first choice or gather: one written with
// fewer bullets after it is at that depth too (ink's Weave, DetermineBaseIndentation)
-> hall
=== hall ===
The hall.
* * [Upstairs] -> up
* [Out] -> END
+ Wait
  - - (after) Time passes.
  -> hall.side
= side
- - - A side room.
* * * [Back] -> hall
* [Leave] -> END
=== up ===
Up here.
* * [Down] -> hall
* [Stay] -> END
