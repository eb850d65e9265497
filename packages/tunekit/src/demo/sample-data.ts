/**
 * A small dialogue-summarisation set written for the tunekit demo (not taken from any
 * published dataset). Each record has a dialogue, a reference summary, a topic, and a
 * prediction as a small fine-tuned model might produce it, so metrics have something to
 * score.
 */
// A type alias rather than an interface, so records pass where templates take
// Record<string, unknown>.
export type DemoDialogue = {
  id: string;
  topic: string;
  dialogue: string;
  summary: string;
  prediction: string;
};

export const demoDialogues: DemoDialogue[] = [
  {
    id: "demo-01",
    topic: "travel",
    dialogue:
      "#Person1#: Is this the platform for the train to Leeds?\n#Person2#: No, that one leaves from platform four, across the bridge.\n#Person1#: Thanks. Do I have time to buy a coffee first?\n#Person2#: It departs in ten minutes, so be quick.",
    summary: "#Person2# tells #Person1# the Leeds train leaves from platform four in ten minutes.",
    prediction:
      "#Person1# asks where the Leeds train leaves and learns it is platform four in ten minutes.",
  },
  {
    id: "demo-02",
    topic: "shopping",
    dialogue:
      "#Person1#: I bought this kettle last week and it already stopped working.\n#Person2#: I'm sorry. Do you have the receipt?\n#Person1#: Yes, here it is.\n#Person2#: We can replace it or give you a refund.\n#Person1#: A refund, please.",
    summary: "#Person1# returns a broken kettle with the receipt and chooses a refund.",
    prediction: "#Person1# returns a kettle that stopped working and gets a refund.",
  },
  {
    id: "demo-03",
    topic: "work",
    dialogue:
      "#Person1#: Can we move the project meeting to Thursday?\n#Person2#: Thursday morning is full, but the afternoon is free.\n#Person1#: Three o'clock then?\n#Person2#: Three works. I'll send a new invitation.",
    summary: "#Person1# and #Person2# move the project meeting to Thursday at three.",
    prediction: "The project meeting is moved to Thursday afternoon at three o'clock.",
  },
  {
    id: "demo-04",
    topic: "health",
    dialogue:
      "#Person1#: I've had a sore throat for three days.\n#Person2#: Any fever?\n#Person1#: A little last night.\n#Person2#: Drink plenty of water, rest, and come back if it isn't better by Monday.",
    summary:
      "#Person1# has had a sore throat and a slight fever; #Person2# advises rest and water.",
    prediction: "#Person2# tells #Person1# to rest and drink water for a sore throat.",
  },
  {
    id: "demo-05",
    topic: "food",
    dialogue:
      "#Person1#: What would you recommend tonight?\n#Person2#: The mushroom risotto is very popular.\n#Person1#: Is it vegetarian?\n#Person2#: Yes, and we can make it without cheese too.\n#Person1#: Perfect, I'll have that.",
    summary: "#Person1# orders the vegetarian mushroom risotto that #Person2# recommends.",
    prediction: "#Person1# orders the mushroom risotto, which is vegetarian.",
  },
  {
    id: "demo-06",
    topic: "housing",
    dialogue:
      "#Person1#: The heating in my flat hasn't worked since Sunday.\n#Person2#: I'll send an engineer tomorrow between nine and twelve.\n#Person1#: Can they come after work instead?\n#Person2#: The latest slot is four o'clock.",
    summary:
      "#Person1# reports broken heating and #Person2# offers an engineer visit, at four at the latest.",
    prediction: "#Person1# reports that the heating is broken and an engineer will come tomorrow.",
  },
  {
    id: "demo-07",
    topic: "study",
    dialogue:
      "#Person1#: Did you finish the statistics assignment?\n#Person2#: Almost. I'm stuck on the last question about variance.\n#Person1#: Let's go through it together in the library after lunch.\n#Person2#: Great, see you there.",
    summary:
      "#Person1# and #Person2# agree to work on the statistics assignment in the library after lunch.",
    prediction:
      "#Person1# and #Person2# will meet in the library after lunch to finish the statistics assignment.",
  },
  {
    id: "demo-08",
    topic: "travel",
    dialogue:
      "#Person1#: I'd like to change my flight to Friday.\n#Person2#: There is a seat on the morning flight, with a fee of forty euros.\n#Person1#: That's fine. Please book it.\n#Person2#: Done. Your new ticket is in your email.",
    summary: "#Person1# changes the flight to Friday morning for a forty-euro fee.",
    prediction: "#Person1# moves the flight to Friday and pays a fee of forty euros.",
  },
  {
    id: "demo-09",
    topic: "sport",
    dialogue:
      "#Person1#: Are you coming to football practice on Saturday?\n#Person2#: I hurt my ankle, so I'll just watch.\n#Person1#: Sorry to hear that. Bring a chair, it's a long session.\n#Person2#: Will do.",
    summary: "#Person2# has hurt an ankle and will only watch Saturday's football practice.",
    prediction: "#Person2# will watch football practice on Saturday because of an ankle injury.",
  },
  {
    id: "demo-10",
    topic: "shopping",
    dialogue:
      "#Person1#: Do you have these shoes in size forty-two?\n#Person2#: Only in black, not in brown.\n#Person1#: Black is fine. Can I try them on?\n#Person2#: Of course, have a seat.",
    summary: "#Person1# asks for shoes in size forty-two and tries on the black pair.",
    prediction: "#Person1# tries on black shoes in size forty-two.",
  },
  {
    id: "demo-11",
    topic: "work",
    dialogue:
      "#Person1#: The printer on the second floor is jammed again.\n#Person2#: I'll call the technician. Use the one in the kitchen for now.\n#Person1#: Thanks, I need to print the contract before noon.",
    summary:
      "#Person2# will call a technician about the jammed printer; #Person1# uses the kitchen printer.",
    prediction:
      "The printer is jammed, so #Person1# will use the kitchen printer while #Person2# calls a technician.",
  },
  {
    id: "demo-12",
    topic: "food",
    dialogue:
      "#Person1#: Shall we bake a cake for Anna's birthday?\n#Person2#: Yes, a chocolate one. I'll buy the eggs and flour.\n#Person1#: I have sugar and butter at home.\n#Person2#: Then let's bake on Saturday morning.",
    summary:
      "#Person1# and #Person2# plan to bake a chocolate cake for Anna's birthday on Saturday morning.",
    prediction: "They will bake a chocolate birthday cake for Anna on Saturday.",
  },
];
