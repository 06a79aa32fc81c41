// Read counts tested as true/false, as The Intercept tests them: a labelled choice
// (`{not tea}`), a labelled gather, a knot, a stitch, and a knot entered through its
// first stitch. Each is a true/false variable of ours, set where ink counts it. Two
// labels of one name in two knots (`look`) are two things, each read where it stands.
// A count compared with 0 or 1 (`tea > 0`, `library == 0`) asks whether it was seen. A
// choice's `~` line then a divert into a knot entered through its first stitch (`garden`).
VAR coins = 0


-> start

=== start ===
- (opts) They are keeping me waiting.
  * (tea) [Drink the tea]
    I drink the tea. It is cold.
    -> opts
  * {not tea} [Wait]
    I wait.
    ~ coins = coins + 1
    -> opts
  * {tea > 0 && library == 0} [Ask for more]
    "More tea?" I ask.
    -> library
  + {not cellar} [Go down] -> cellar
  + {cellar and not dusk} [Go up] -> hall.stair
  + {dusk} [Give up] -> finish

=== cellar ===
It is dark down here.
* (look) [Look] -> cellar
+ {look and not library} [Back] -> start.opts
+ {library} [Leave] -> finish

=== library ===
= shelves
Books everywhere.
- (browse) You browse.
+ {not hall.stair} [Read] -> cellar
+ [Out] -> hall

=== hall ===
The hall.
+ {library.shelves.browse} [Sit] -> finish
+ [Wait for dusk] -> dusk

= stair
A narrow stair.
+ {stair} [Climb] -> hall

=== dusk ===
Dusk falls.
* (look) [Look] -> dusk
+ {look} [Go] -> start.opts
+ {not garden} [Out]
  ~ coins = coins + 2
  -> garden

=== garden ===
= beds
Flower beds.
+ {garden} [Back] -> dusk

=== finish ===
You leave.
It is over.
-> END
