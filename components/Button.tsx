import type { ButtonHTMLAttributes } from "react";

// The one button: form submits (md, primary) and the dashboard's actions (sm,
// secondary or danger). `pending` disables it and says so to assistive tech.
// A pending action button stays focusable (aria-disabled, clicks ignored):
// a disabled one would drop keyboard focus to the page while its result
// arrives. Submit buttons are disabled outright, or Enter in a field would
// submit the form again.
type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  pending?: boolean;
  tone?: "primary" | "secondary" | "danger";
  size?: "md" | "sm";
};

const TONES = {
  primary: "bg-zinc-900 text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-white",
  secondary:
    "border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800",
  danger:
    "border border-red-300 bg-white text-red-700 hover:bg-red-50 dark:border-red-800 dark:bg-zinc-900 dark:text-red-300 dark:hover:bg-red-950/40",
};

const SIZES = { md: "px-4 py-2", sm: "px-3 py-1.5" };

export function Button({
  pending = false,
  tone = "primary",
  size = "md",
  className = "",
  children,
  disabled,
  onClick,
  ...rest
}: ButtonProps) {
  const keepFocus = pending && !disabled && rest.type === "button";
  return (
    <button
      {...rest}
      disabled={disabled || (pending && !keepFocus)}
      aria-disabled={keepFocus || undefined}
      onClick={keepFocus ? (event) => event.preventDefault() : onClick}
      aria-busy={pending || undefined}
      className={`inline-flex items-center justify-center gap-2 rounded-md text-sm font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-60 aria-disabled:cursor-not-allowed aria-disabled:opacity-60 ${SIZES[size]} ${TONES[tone]} ${className}`}
    >
      {pending ? (
        <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" />
      ) : null}
      {children}
    </button>
  );
}
