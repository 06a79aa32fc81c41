// ink counts a knot or stitch whenever a divert enters it from outside, at its top or
// not: `-> hall.stair` counts hall, `-> hall.inner` (a label) counts hall,
// `-> garden.path` (a knot with no lines of its own, its second stitch) counts garden,
// `-> tower.roof.top` counts tower and roof. Each `{…}` in `check` reads whether it was
// seen (`-> hall`, `-> tower.roof`, `-> garden` are there to reach what only they
// reach, first, so the scenes at their tops are named after them).
-> start
=== start ===
Start.
+ [Hall] -> hall
+ [Roof] -> tower.roof
+ [Up the stair] -> hall.stair
+ [Inside] -> hall.inner
+ [Down the path] -> garden.path
+ [To the top] -> tower.roof.top
+ [Beds] -> garden
=== hall ===
The hall.
- (inner) Inside the hall.
+ [On] -> check
= stair
A stair.
+ [On] -> check
=== garden ===
= beds
Beds.
+ [Tower] -> tower
= path
A path.
+ [On] -> check
=== tower ===
A tower.
+ [On] -> check
= roof
A roof.
- (top) The top.
+ [On] -> check
=== check ===
What was seen?
+ {hall and not hall.stair} [Hall only] -> finish
+ {hall.stair} [Stair] -> finish
+ {garden} [Garden] -> finish
+ {tower and tower.roof} [Tower and roof] -> finish
+ {tower and not tower.roof} [Tower only] -> finish
+ [Nothing] -> finish
=== finish ===
Bye.
-> END
