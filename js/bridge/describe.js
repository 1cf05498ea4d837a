/** How the bridge names a value in its messages: its type, or an element's tag, id and classes. */

/** A handle's label: `<button#save.primary>` for an element, else its type's name. */
export function describeObject(object, kind) {
  if (kind !== "element") return typeName(object);
  const id = object.id ? `#${object.id}` : "";
  const classes = [...object.classList].map((name) => `.${name}`).join("");
  return `<${object.localName}${id}${classes}>`;
}

/** A value's type as a message names it: its constructor's name, else its built-in tag. */
export function typeName(value) {
  try {
    return value?.constructor?.name || Object.prototype.toString.call(value).slice(8, -1);
  } catch {
    return typeof value; // a proxy whose traps throw
  }
}

/** A caught error as a message quotes it: "Name: message". */
export const errorText = (error) => `${error?.name ?? "Error"}: ${error?.message ?? String(error)}`;
