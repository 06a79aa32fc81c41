// Tunnels whose knot shows only text and sets before it returns: called on a line of their own, from a
// choice's line (with and without text shown), after text on its line, twice in one reading, into a knot's first
// stitch, read as a count
VAR gold = 3
-> hall

=== hall ===
The hall. -> weather ->
You look around.
* [Talk] -> talk ->
  Back in the hall.
  -> hall
* Greet her -> talk ->
  -> hall
+ {talk} [Pay] -> pay ->
  Outside <> -> weather ->
  -> hall
+ [Leave] -> ending

=== talk ===
"Hello," she says.
~ gold += 1
->->

=== pay ===
= inner
You pay.
~ gold -= 1
->->

=== weather ===
It rains.
->->

=== ending ===
-> weather ->
Bye.
-> END
