// A small cave for the import tests: loops, conditions, every kind of variable.
VAR oil = 2
VAR lit = false
VAR helper = "nobody"
VAR visits = 0

Wind moans across the cave mouth.
-> mouth

=== mouth ===
~ visits = visits + 1
You stand at the mouth.
+ [Light the lantern]
  ~ lit = true
  The wick catches.
  -> mouth
+ {oil > 0} [Pour oil]
  ~ oil -= 1
  -> mouth
* {not lit} Wait in the dark
  The dark is patient.
  -> mouth
+ {lit and helper == "Mara"} [Go deeper with Mara] -> deep
+ {lit && helper != "Mara"} [Go deeper alone] -> deep
* [Call for a guide] -> guide

=== guide ===
A voice answers from the dark.
+ Hire Mara
  ~ helper = "Mara"
+ [Never mind]
- You turn back to the cave.
-> mouth

=== deep ===
Deep in the cave, the walls glitter.
+ {visits >= 3 || oil == 0} [Rest] -> rest
+ [Climb out]
  Daylight.
  -> END

=== rest ===
You sleep among the crystals.
-> DONE
