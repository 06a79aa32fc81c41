// Choices whose body sets a variable, or only diverts on a line of its own, into a knot:
// the most common shape of an ink choice. The story opens with a divert. Glue (`<>`)
// joins lines of text into one, across a divert too, with or without a space, and glue
// right before a divert (`Pay <> -> gate`) joins as the divert alone does, or (`Pay<>-> gate`) with none.
VAR coins = 3
VAR paid = 0
-> bridge

=== bridge ===
~ paid = paid + 0
A troll guards <>
the bridge<>
, grinning. Mid <> line.
+ {coins >= 1} [Pay one coin]
  ~ coins = coins - 1
  ~ paid++
  -> bridge
+ [Wave]
  -> bridge
* [Swim instead]
  ~ coins = coins + 1
  -> river
+ {paid >= 2} [Cross]
  -> far_side

=== river ===
The river gives <>
-> coin
=== coin ===
<> you a coin.
+ [Climb out] -> bridge
+ [Wade] Wading <> -> far_side
+ [Dive] Diving<>-> far_side

=== far_side ===
You are across<>-> dry
=== dry ===
, dry.
-> END
