// Python's datetime.strftime on a naive local datetime in the C locale (what
// transformers' strftime_now returns: datetime.now().strftime(format)). Directives follow
// the C standard plus the glibc extensions Python passes through (%e, %k, %l, %s, %-d…).

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function pad(value: number, width: number, fill: string): string {
  return String(value).padStart(width, fill);
}

function dayOfYear(date: Date): number {
  const start = new Date(date.getFullYear(), 0, 1);
  const utc = Date.UTC(date.getFullYear(), date.getMonth(), date.getDate());
  return Math.round((utc - Date.UTC(start.getFullYear(), 0, 1)) / 86400000) + 1;
}

// ISO 8601 week-based year and week (for %G, %g, %V).
function isoWeek(date: Date): { year: number; week: number } {
  const d = new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    year: d.getUTCFullYear(),
    week: Math.ceil(((d.getTime() - yearStart) / 86400000 + 1) / 7),
  };
}

function directive(date: Date, code: string): string | undefined {
  const hours = date.getHours();
  const yday = dayOfYear(date);
  const wday = date.getDay();
  switch (code) {
    case "a":
      return DAYS[wday].slice(0, 3);
    case "A":
      return DAYS[wday];
    case "b":
    case "h":
      return MONTHS[date.getMonth()].slice(0, 3);
    case "B":
      return MONTHS[date.getMonth()];
    case "c":
      return `${directive(date, "a")} ${directive(date, "b")} ${directive(date, "e")} ${directive(date, "T")} ${date.getFullYear()}`;
    case "C":
      return pad(Math.floor(date.getFullYear() / 100), 2, "0");
    case "d":
      return pad(date.getDate(), 2, "0");
    case "D":
      return `${directive(date, "m")}/${directive(date, "d")}/${directive(date, "y")}`;
    case "e":
      return pad(date.getDate(), 2, " ");
    case "f":
      return pad(date.getMilliseconds() * 1000, 6, "0");
    case "F":
      return `${date.getFullYear()}-${directive(date, "m")}-${directive(date, "d")}`;
    case "G":
      return String(isoWeek(date).year);
    case "g":
      return pad(isoWeek(date).year % 100, 2, "0");
    case "H":
      return pad(hours, 2, "0");
    case "I":
      return pad(hours % 12 || 12, 2, "0");
    case "j":
      return pad(yday, 3, "0");
    case "k":
      return pad(hours, 2, " ");
    case "l":
      return pad(hours % 12 || 12, 2, " ");
    case "m":
      return pad(date.getMonth() + 1, 2, "0");
    case "M":
      return pad(date.getMinutes(), 2, "0");
    case "n":
      return "\n";
    case "p":
      return hours < 12 ? "AM" : "PM";
    case "r":
      return `${directive(date, "I")}:${directive(date, "M")}:${directive(date, "S")} ${directive(date, "p")}`;
    case "R":
      return `${directive(date, "H")}:${directive(date, "M")}`;
    case "s":
      return String(Math.floor(date.getTime() / 1000));
    case "S":
      return pad(date.getSeconds(), 2, "0");
    case "t":
      return "\t";
    case "T":
    case "X":
      return `${directive(date, "H")}:${directive(date, "M")}:${directive(date, "S")}`;
    case "u":
      return String(wday || 7);
    case "U":
      return pad(Math.floor((yday + 6 - wday) / 7), 2, "0");
    case "V":
      return pad(isoWeek(date).week, 2, "0");
    case "w":
      return String(wday);
    case "W":
      return pad(Math.floor((yday + 6 - ((wday + 6) % 7)) / 7), 2, "0");
    case "x":
      return `${directive(date, "m")}/${directive(date, "d")}/${directive(date, "y")}`;
    case "y":
      return pad(date.getFullYear() % 100, 2, "0");
    case "Y":
      return String(date.getFullYear());
    // A naive datetime has no zone: Python prints nothing.
    case "z":
    case "Z":
      return "";
    case "%":
      return "%";
    default:
      return undefined;
  }
}

/**
 * Formats a local date like Python's `datetime.strftime` in the C locale (English day and
 * month names, no time zone). `%-d` style flags drop the padding, as glibc does; unknown
 * directives are left as they are.
 *
 * @param date - the moment, read in local time.
 * @param format - a strftime format such as `"%d %b %Y"`.
 * @returns the formatted text.
 */
export function strftime(date: Date, format: string): string {
  return format.replace(/%(-?)([a-zA-Z%])/g, (whole, noPad: string, code: string) => {
    const text = directive(date, code);
    if (text === undefined) return whole;
    return noPad ? text.replace(/^[0 ]+(?=.)/, "") : text;
  });
}
