// The fixed vocabulary of the order event: items with their category and base price, payment
// methods, sales channels, cities, weekday names and person names. Immutable; safe for
// concurrent use.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace orderflow::event {

struct Item {
  std::string_view name;
  std::string_view category;
  int64_t base_price_cents;
};

inline constexpr std::array<Item, 10> kItems = {{
    {"yogurt", "dairy", 320},
    {"potatoes", "vegetables", 210},
    {"apples", "fruit", 280},
    {"bananas", "fruit", 310},
    {"carrots", "vegetables", 240},
    {"cheese", "dairy", 850},
    {"bread", "bakery", 420},
    {"rice", "grains", 590},
    {"pasta", "grains", 620},
    {"eggs", "dairy", 730},
}};

inline constexpr std::array<std::string_view, 4> kPaymentMethods = {"card", "blik", "cash",
                                                                    "mobile_wallet"};
inline constexpr std::array<std::string_view, 3> kSalesChannels = {"store", "online", "pickup"};
inline constexpr std::array<int, 6> kDiscountChoices = {0, 0, 0, 5, 10, 15};
inline constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

inline constexpr std::array<std::string_view, 16> kCities = {
    "Warszawa",    "Kraków",    "Łódź",   "Wrocław",  "Poznań",    "Gdańsk",
    "Szczecin",    "Bydgoszcz", "Lublin", "Katowice", "Białystok", "Gdynia",
    "Częstochowa", "Radom",     "Toruń",  "Rzeszów"};

inline constexpr std::array<std::string_view, 24> kFirstNames = {
    "Anna",      "Piotr", "Maria",   "Krzysztof", "Katarzyna", "Andrzej", "Małgorzata", "Tomasz",
    "Agnieszka", "Paweł", "Barbara", "Michał",    "Ewa",       "Marcin",  "Magdalena",  "Jakub",
    "Joanna",    "Adam",  "Zofia",   "Łukasz",    "Julia",     "Mateusz", "Natalia",    "Kamil"};

inline constexpr std::array<std::string_view, 24> kLastNames = {
    "Nowak",       "Kowalski",  "Wiśniewski",  "Wójcik",   "Kowalczyk",  "Kamiński",
    "Lewandowski", "Zieliński", "Szymański",   "Woźniak",  "Dąbrowski",  "Kozłowski",
    "Jankowski",   "Mazur",     "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski",
    "Nowakowski",  "Pawłowski", "Michalski",   "Król",     "Wieczorek",  "Jabłoński"};

// Index of `name` in kItems, or -1 when it is not a catalogue item.
int FindItem(std::string_view name);

}  // namespace orderflow::event
